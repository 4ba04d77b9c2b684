import { CATEGORIES, channelSchema, issuesFromZod, type ValidationIssue } from '@nudge/contracts';
import { countryRuleIssues, isIanaZone, isIsoDuration, durationToMillis } from '@nudge/timing';
import { z } from 'zod';
import { doubleOptInSchema } from './double-opt-in';
import { providerSettingsIssues, STRICT_PROVIDER_POLICY, type ProviderSettingsPolicy } from './provider-secrets';
import { segmentSettingsSchema, segmentTopicIssues } from './segment';
import { topicsSchema } from './topics';
import { widgetsSchema } from './widgets';

const positiveDuration = z
  .string()
  .refine((v) => isIsoDuration(v) && durationToMillis(v) > 0, 'must be a positive ISO-8601 duration such as P7D or PT12H');

/** A global cap: at most `max` messages of a category on a channel per rolling `per`. */
export const globalCapSchema = z
  .object({
    category: z.enum([...CATEGORIES, 'any']).default('marketing'),
    channel: z.union([channelSchema, z.literal('any')]).default('any'),
    max: z.number().int().min(0),
    per: positiveDuration,
  })
  .strict();

/** Per-country marketing rules: allowed hours per weekday, Sundays, public holidays. */
export const countryRuleSchema = z
  .object({
    category: z.enum(CATEGORIES).default('marketing'),
    hours: z.record(z.string(), z.string()).optional(),
    sundays: z.boolean().default(true),
    holidays: z.boolean().default(true),
  })
  .strict();

const rateLimitSchema = z.string().regex(/^\d+(\.\d+)?\/(s|m|h)$/, 'must be a rate such as 50/s, 600/m or 10000/h');

/**
 * A channel's provider and its settings; credentials are named env variables, never values.
 * Every provider takes `rateLimit`, `maxRetryAge` (how long dispatch keeps retrying a
 * message the provider could not take for now; default PT24H) and `onUnknown` (whether a
 * call whose result was lost is made again, for a provider without idempotency keys:
 * `retry` or `fail`; default `retry` for transactional messages, `fail` for marketing);
 * the rest is the adapter's.
 */
export const providerSettingsSchema = z
  .object({
    provider: z.string().min(1),
    rateLimit: rateLimitSchema.optional(),
    maxRetryAge: positiveDuration.optional(),
    onUnknown: z.enum(['retry', 'fail'], { errorMap: () => ({ message: 'must be retry or fail' }) }).optional(),
  })
  .passthrough();

/**
 * The confirmation each STOP and START keyword gets (transactional, to the address it came
 * from, once per inbound message). The defaults say how to undo it, as carriers expect.
 */
export const keywordRepliesSchema = z
  .object({
    stopReply: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(1_000)
      .default('You are unsubscribed and will get no more marketing messages from us. Reply START to subscribe again.'),
    startReply: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(1_000)
      .default('You are subscribed again to our marketing messages. Reply STOP to unsubscribe.'),
  })
  .strict();

export const settingsSchema = z
  .object({
    defaultTimezone: z.string().refine(isIanaZone, 'must be an IANA time zone such as Europe/Madrid').default('UTC'),
    frequencyCaps: z.array(globalCapSchema).default([]),
    countryRules: z
      .record(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO-3166 alpha-2 country code such as FR'), countryRuleSchema)
      .default({}),
    providers: z.record(channelSchema, providerSettingsSchema).default({}),
    keywords: keywordRepliesSchema.default({}),
    doubleOptIn: doubleOptInSchema.default({}),
    topics: topicsSchema.default([]),
    /** Messenger subscribe widgets by id (`/w/{widgetId}`). */
    widgets: widgetsSchema.default({}),
    /** The Segment-compatible ingest: Segment consent categories → marketing consent and topics. */
    segment: segmentSettingsSchema.default({}),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type GlobalCap = z.infer<typeof globalCapSchema>;
export type CountryRuleSettings = z.infer<typeof countryRuleSchema>;
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;
export type KeywordReplies = z.infer<typeof keywordRepliesSchema>;

/** The settings when none were ever given. */
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export type SettingsValidation = { ok: true; settings: Settings } | { ok: false; errors: ValidationIssue[] };

/**
 * Validates a settings document: its shape, each country rule's days, hours and holiday
 * calendar, then each provider's credentials (NUDGE_SECRET_* variables only) and `baseUrl`
 * (the provider's own API unless `policy` allows another). Every error names its path
 * (`countryRules.FR.hours.mon-sat`, `providers.sms.accountSidEnv`). Rules, dispatch and
 * the CLI all call this, so they accept and refuse the same documents.
 */
export function validateSettings(document: unknown, policy: ProviderSettingsPolicy = STRICT_PROVIDER_POLICY): SettingsValidation {
  const parsed = settingsSchema.safeParse(document ?? {});
  if (!parsed.success) return { ok: false, errors: issuesFromZod(parsed.error.issues) };
  const errors = [
    ...Object.entries(parsed.data.countryRules).flatMap(([country, rule]) => countryRuleIssues(rule, `countryRules.${country}`, country)),
    ...Object.entries(parsed.data.providers).flatMap(([channel, provider]) =>
      provider === undefined ? [] : providerSettingsIssues(channel, provider, policy),
    ),
    ...segmentTopicIssues(
      parsed.data.segment,
      parsed.data.topics.map((topic) => topic.id),
    ),
  ];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings: parsed.data };
}
