import type { Channel } from '@nudge/contracts';
import type { ChannelProvider } from './channel-provider';
import type { InboxWriter } from './providers/inapp/inbox-writer';

// What a provider is built from, in a module of its own: every provider speaks it, and the
// registry imports every provider (through PROVIDER_FACTORIES), so no provider imports the
// registry (no import cycle).

/** The settings of one channel's provider (settings.yaml `providers.<channel>`). */
export interface ProviderSettings {
  provider: string;
  [option: string]: unknown;
}

export type ProvidersSettings = Partial<Record<Channel, ProviderSettings>>;

/** What a provider may need beyond its settings. Credentials come from `env` by the names settings give. */
export interface ProviderContext {
  env: Record<string, string | undefined>;
  /** Base of our public URL (status callbacks that providers are told to call). */
  publicUrl: string;
  /** Where the `inapp` provider files messages; dispatch gives it (the provider has no database of its own). */
  inbox?: InboxWriter;
}

/** Builds a provider from its settings; one factory per provider name. */
export type ProviderFactory = (settings: ProviderSettings, channel: Channel, context: ProviderContext) => ChannelProvider;
