import type { ChannelProvider } from './channel-provider';
import { ProviderRegistry } from './provider-registry';

const fakeProvider = (name: string): ChannelProvider => ({
  name,
  capabilities: { idempotencyKey: false },
  send: async () => ({ outcome: 'accepted', status: 'sent', providerMessageId: `${name}-1` }),
});

describe('ProviderRegistry', () => {
  it('sends every channel through sandbox when no provider is configured', () => {
    const registry = ProviderRegistry.fromSettings();
    expect(registry.forChannel('sms').name).toBe('sandbox');
    expect(registry.forChannel('whatsapp').name).toBe('sandbox');
    expect(registry.byName('sandbox')?.name).toBe('sandbox');
  });

  it('uses the configured provider for its channel and sandbox for the others', () => {
    const registry = ProviderRegistry.fromSettings(
      { sms: { provider: 'twilio', accountSidEnv: 'TWILIO_SID' } },
      { sandbox: () => fakeProvider('sandbox'), twilio: () => fakeProvider('twilio') },
    );
    expect(registry.forChannel('sms').name).toBe('twilio');
    expect(registry.forChannel('email').name).toBe('sandbox');
    expect(registry.byName('twilio')?.name).toBe('twilio');
    expect(registry.byName('vonage')).toBeUndefined();
  });

  it('refuses a provider it does not know, naming the setting', () => {
    expect(() => ProviderRegistry.fromSettings({ sms: { provider: 'carrier-pigeon' } })).toThrow(
      /providers\.sms\.provider: unknown provider "carrier-pigeon"/,
    );
  });
});
