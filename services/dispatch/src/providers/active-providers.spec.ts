import type { ChannelProvider, ProviderFactory } from '@nudge/channels';
import type { PinoLogger } from 'nestjs-pino';
import type { DispatchConfig } from '../config';
import { ActiveProviders } from './active-providers';
import type { ProviderSettingsStore, SettingsVersion } from './provider-settings.store';

const fake =
  (name: string): ProviderFactory =>
  (): ChannelProvider => ({
    name,
    capabilities: { idempotencyKey: false },
    send: async () => ({ outcome: 'accepted', status: 'sent', providerMessageId: `${name}-1` }),
  });

function anActiveProviders(saved: { current: SettingsVersion | null }) {
  const settingsStore = {
    findOtherThan: async (known: number) => (saved.current && saved.current.version !== known ? saved.current : null),
  } as ProviderSettingsStore;
  const logged: string[] = [];
  const logger = { info: () => undefined, warn: () => undefined, error: (_: unknown, message: string) => logged.push(message) };
  const providers = new ActiveProviders(
    settingsStore,
    { DISPATCH_SETTINGS_REFRESH_MS: 60_000 } as DispatchConfig,
    { sandbox: fake('sandbox'), inapp: fake('inapp'), twilio: fake('twilio'), vonage: fake('vonage') },
    { env: {}, publicUrl: 'https://nudge.example' },
    logger as unknown as PinoLogger,
  );
  return { providers, logged };
}

describe('ActiveProviders', () => {
  it('uses the defaults when no settings were saved', async () => {
    const { providers } = anActiveProviders({ current: null });
    await providers.onModuleInit();
    providers.onModuleDestroy();
    expect(providers.current().version).toBe(0);
    expect(providers.registry().forChannel('sms').name).toBe('sandbox');
  });

  it('rebuilds the providers when the settings version changes', async () => {
    const saved = { current: { version: 1, document: { providers: { sms: { provider: 'twilio' } } } } as SettingsVersion | null };
    const { providers } = anActiveProviders(saved);
    await providers.onModuleInit();
    providers.onModuleDestroy();
    expect(providers.registry().forChannel('sms').name).toBe('twilio');

    saved.current = { version: 2, document: { providers: { sms: { provider: 'vonage', rateLimit: '10/s' } } } };
    await providers.refresh();
    expect(providers.registry().forChannel('sms').name).toBe('vonage');
    expect(providers.current().rateLimits).toEqual([{ channel: 'sms', provider: 'vonage', limit: { messages: 10, perMs: 1_000 } }]);
  });

  it('keeps the providers in force when a new version cannot be built, and logs the setting once', async () => {
    const saved = { current: { version: 1, document: { providers: { sms: { provider: 'twilio' } } } } as SettingsVersion | null };
    const { providers, logged } = anActiveProviders(saved);
    await providers.onModuleInit();
    providers.onModuleDestroy();

    saved.current = { version: 2, document: { providers: { sms: { provider: 'pigeon' } } } };
    await providers.refresh();
    await providers.refresh();
    expect(providers.current().version).toBe(1);
    expect(providers.registry().forChannel('sms').name).toBe('twilio');
    expect(logged).toEqual([
      expect.stringMatching(/^settings v2 not applied, keeping v1: providers\.sms\.provider: unknown provider "pigeon"/),
    ]);

    saved.current = { version: 3, document: { providers: { sms: { provider: 'vonage' } } } };
    await providers.refresh();
    expect(providers.registry().forChannel('sms').name).toBe('vonage');
  });

  it('refuses to start on settings it cannot build, naming the setting', async () => {
    const { providers } = anActiveProviders({ current: { version: 4, document: { providers: { sms: { provider: 'pigeon' } } } } });
    await expect(providers.onModuleInit()).rejects.toThrow(
      /^dispatch cannot build its providers from settings v4: providers\.sms\.provider: unknown provider "pigeon"/,
    );
  });
});
