import type { ChannelProvider, ProviderFactory } from '@nudge/channels';
import { DEFAULT_SETTINGS } from '@nudge/settings';
import { providersFromSettings } from './providers-from-settings';

const fake =
  (name: string): ProviderFactory =>
  (): ChannelProvider => ({
    name,
    capabilities: { idempotencyKey: false },
    send: async () => ({ outcome: 'accepted', status: 'sent', providerMessageId: `${name}-1` }),
  });
const factories = { sandbox: fake('sandbox'), inapp: fake('inapp'), twilio: fake('twilio') };
const context = { env: {}, publicUrl: 'https://nudge.example' };
const strict = { allowProviderBaseUrl: false };

describe('providersFromSettings', () => {
  it('with no settings every channel uses sandbox, and inapp its inbox', () => {
    const { registry, rateLimits, version } = providersFromSettings(DEFAULT_SETTINGS, 0, factories, context, strict);
    expect(registry.forChannel('sms').name).toBe('sandbox');
    expect(registry.forChannel('inapp').name).toBe('inapp');
    expect(rateLimits).toEqual([]);
    expect(version).toBe(0);
  });

  it('builds the configured providers and their rate limits', () => {
    const { registry, rateLimits } = providersFromSettings(
      { providers: { sms: { provider: 'twilio', rateLimit: '600/m' }, whatsapp: { provider: 'sandbox' } } },
      3,
      factories,
      context,
      strict,
    );
    expect(registry.forChannel('sms').name).toBe('twilio');
    expect(rateLimits).toEqual([{ channel: 'sms', provider: 'twilio', limit: { messages: 600, perMs: 60_000 } }]);
  });

  it("keeps each channel's maxRetryAge, for the sender to retry that long", () => {
    const { maxRetryAges } = providersFromSettings(
      { providers: { sms: { provider: 'twilio', maxRetryAge: 'PT2H' }, whatsapp: { provider: 'sandbox' } } },
      3,
      factories,
      context,
      strict,
    );
    expect([...maxRetryAges]).toEqual([['sms', 'PT2H']]);
  });

  it("keeps each channel's idempotency key and onUnknown, for deciding calls whose result was lost", () => {
    const idempotent: ProviderFactory = (settings, channel, context) => ({
      ...fake('smsapi')(settings, channel, context),
      capabilities: { idempotencyKey: true },
    });
    const { unknownOutcomes } = providersFromSettings(
      { providers: { sms: { provider: 'twilio', onUnknown: 'retry' }, whatsapp: { provider: 'smsapi' } } },
      3,
      { ...factories, smsapi: idempotent },
      context,
      strict,
    );
    const of = (channel: string) => unknownOutcomes.find((policy) => policy.channel === channel);
    expect(of('sms')).toEqual({ channel: 'sms', provider: 'twilio', idempotencyKey: false, onUnknown: 'retry' });
    expect(of('whatsapp')).toEqual({ channel: 'whatsapp', provider: 'smsapi', idempotencyKey: true });
    expect(of('email')).toEqual({ channel: 'email', provider: 'sandbox', idempotencyKey: false });
  });

  it('names the setting of an unknown provider', () => {
    expect(() => providersFromSettings({ providers: { sms: { provider: 'pigeon' } } }, 2, factories, context, strict)).toThrow(
      /^providers\.sms\.provider: unknown provider "pigeon"/,
    );
  });

  it('names the setting of a bad rate limit', () => {
    expect(() =>
      providersFromSettings({ providers: { sms: { provider: 'twilio', rateLimit: 'fast' } } }, 2, factories, context, strict),
    ).toThrow(/^providers\.sms\.rateLimit: must be a rate such as 50\/s/);
  });

  it('refuses a credential named by any variable but NUDGE_SECRET_*, as rules does', () => {
    const document = { providers: { sms: { provider: 'twilio', accountSidEnv: 'DATABASE_URL' } } };
    expect(() => providersFromSettings(document, 2, factories, context, strict)).toThrow(/^providers\.sms\.accountSidEnv: must name/);
  });

  it('refuses a baseUrl off the provider API unless NUDGE_ALLOW_PROVIDER_BASE_URL allows it', () => {
    const document = { providers: { sms: { provider: 'twilio', baseUrl: 'http://127.0.0.1:1' } } };
    expect(() => providersFromSettings(document, 2, factories, context, strict)).toThrow(/^providers\.sms\.baseUrl: /);
    expect(providersFromSettings(document, 2, factories, context, { allowProviderBaseUrl: true }).registry.forChannel('sms').name).toBe(
      'twilio',
    );
  });
});
