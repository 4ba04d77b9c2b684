import { parseRateLimit, type RateLimit } from '@nudge/channel-rules';
import { ProviderRegistry, type ProviderContext, type ProviderFactory, type ProvidersSettings } from '@nudge/channels';
import { CHANNELS, type Channel } from '@nudge/contracts';
import {
  validateSettings,
  type KeywordReplies,
  type ProviderSettingsPolicy,
  type TopicSettings,
  type WidgetsSettings,
} from '@nudge/settings';
import type { UnknownOutcomePolicy } from '../sending/unknown-outcomes';

/** In-app has no external provider: channel `inapp` files into dispatch's own inbox unless settings name another. */
export const DEFAULT_PROVIDERS: ProvidersSettings = { inapp: { provider: 'inapp' } };

/** The rate limit of the provider configured for a channel (`providers.<channel>.rateLimit`). */
export interface ChannelRateLimit {
  channel: Channel;
  provider: string;
  limit: RateLimit;
}

/** The providers dispatch sends through, as one settings version configures them. */
export interface ProvidersInForce {
  /** The settings version they come from; 0 when none was ever saved (defaults). */
  version: number;
  registry: ProviderRegistry;
  rateLimits: ChannelRateLimit[];
  /** Each channel's `maxRetryAge` (ISO-8601) when its settings give one; the default is DEFAULT_MAX_RETRY_AGE. */
  maxRetryAges: ReadonlyMap<Channel, string>;
  /** Per channel, whether its provider takes an idempotency key and its `onUnknown` setting, if any. */
  unknownOutcomes: UnknownOutcomePolicy[];
  /** Every channel with the name of its provider (for the circuit breakers' claim allowances). */
  channelProviders: { channel: Channel; provider: string }[];
  /** The confirmations STOP and START get (`keywords`), of the same settings version. */
  keywordReplies: KeywordReplies;
  /** The preference centre's topics (`topics`), of the same settings version. */
  topics: TopicSettings[];
  /** The messenger subscribe widgets (`widgets`), of the same settings version. */
  widgets: WidgetsSettings;
}

/**
 * Builds the providers, rate limits and retry ages a settings document names, checked as rules checks
 * it (`validateSettings` with the same policy), so a row written around rules' API cannot
 * name another variable or host. Throws an Error whose message starts with the setting at
 * fault (`providers.sms.provider: unknown provider…`).
 */
export function providersFromSettings(
  document: unknown,
  version: number,
  factories: Readonly<Record<string, ProviderFactory>>,
  context: ProviderContext,
  policy: ProviderSettingsPolicy,
): ProvidersInForce {
  const parsed = validateSettings(document, policy);
  if (!parsed.ok) {
    const [issue] = parsed.errors;
    throw new Error(`${issue?.path || '(settings)'}: ${issue?.message ?? 'invalid settings'}`);
  }
  const settings: ProvidersSettings = { ...DEFAULT_PROVIDERS, ...(parsed.settings.providers as ProvidersSettings) };
  const registry = ProviderRegistry.fromSettings(settings, factories, context);
  const rateLimits = Object.entries(parsed.settings.providers).flatMap(([channel, channelSettings]) => {
    if (channelSettings?.rateLimit === undefined) return [];
    const limit = parseRateLimit(channelSettings.rateLimit);
    return [{ channel: channel as Channel, provider: registry.forChannel(channel as Channel).name, limit }];
  });
  const maxRetryAges = new Map(
    Object.entries(parsed.settings.providers).flatMap(([channel, channelSettings]) =>
      channelSettings?.maxRetryAge === undefined ? [] : [[channel as Channel, channelSettings.maxRetryAge] as const],
    ),
  );
  const unknownOutcomes = CHANNELS.map((channel): UnknownOutcomePolicy => {
    const provider = registry.forChannel(channel);
    const onUnknown = parsed.settings.providers[channel]?.onUnknown;
    return { channel, provider: provider.name, idempotencyKey: provider.capabilities.idempotencyKey, ...(onUnknown && { onUnknown }) };
  });
  const channelProviders = unknownOutcomes.map(({ channel, provider }) => ({ channel, provider }));
  return {
    version,
    registry,
    rateLimits,
    maxRetryAges,
    unknownOutcomes,
    channelProviders,
    keywordReplies: parsed.settings.keywords,
    topics: parsed.settings.topics,
    widgets: parsed.settings.widgets,
  };
}
