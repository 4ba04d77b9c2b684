import type { Channel } from '@nudge/contracts';
import type { ChannelProvider } from './channel-provider';
import type { ProviderContext, ProviderFactory, ProviderSettings, ProvidersSettings } from './provider-factory';
import { PROVIDER_FACTORIES } from './providers';
import { SANDBOX_PROVIDER, SandboxProvider } from './sandbox/sandbox.provider';

export type { InboxItem, InboxWriter } from './providers/inapp/inbox-writer';
export type { ProviderContext, ProviderFactory, ProviderSettings, ProvidersSettings } from './provider-factory';

/** Which provider sends on which channel; a channel with none configured uses `sandbox`. */
export class ProviderRegistry {
  private constructor(
    private readonly byChannel: ReadonlyMap<Channel, ChannelProvider>,
    private readonly fallback: ChannelProvider,
  ) {}

  /** Builds the providers named in `settings`; an unknown provider name is a configuration error. */
  static fromSettings(
    settings: ProvidersSettings = {},
    factories: Readonly<Record<string, ProviderFactory>> = PROVIDER_FACTORIES,
    context: ProviderContext = { env: {}, publicUrl: 'http://localhost:3002' },
  ): ProviderRegistry {
    const sandboxFactory = factories[SANDBOX_PROVIDER] ?? (() => new SandboxProvider());
    const fallback = sandboxFactory({ provider: SANDBOX_PROVIDER }, 'sms', context);
    const byChannel = new Map<Channel, ChannelProvider>();
    for (const [channel, channelSettings] of Object.entries(settings) as [Channel, ProviderSettings][]) {
      const factory = factories[channelSettings.provider];
      if (!factory) {
        const known = Object.keys(factories).join(', ');
        throw new Error(`providers.${channel}.provider: unknown provider "${channelSettings.provider}" (known: ${known})`);
      }
      byChannel.set(channel, factory(channelSettings, channel, context));
    }
    return new ProviderRegistry(byChannel, fallback);
  }

  /** The provider that sends on `channel`. */
  forChannel(channel: Channel): ChannelProvider {
    return this.byChannel.get(channel) ?? this.fallback;
  }

  /** The provider called `name` (for its webhooks and for messages stored with its name), if any. */
  byName(name: string): ChannelProvider | undefined {
    if (name === this.fallback.name) return this.fallback;
    return [...this.byChannel.values()].find((provider) => provider.name === name);
  }
}
