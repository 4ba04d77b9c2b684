import { z } from 'zod';
import { boundedJsonObject, JSON_FIELD_LIMITS, jsonLimitIssue } from './bounded-json';
import { formatPath, ValidationError } from './errors';
import { idSchema, printableText } from './text-limits';

export const CHANNELS = [
  'sms',
  'rcs',
  'whatsapp',
  'viber',
  'telegram',
  'messenger',
  'vk',
  'push',
  'webpush',
  'inapp',
  'email',
  'webhook',
] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const CATEGORIES = ['marketing', 'transactional'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Longest channel address (a phone number, an email address, a push token, a URL). */
export const MAX_CHANNEL_ADDRESS_LENGTH = 512;
/** Most preference topics a profile holds. */
export const MAX_PREFERENCE_TOPICS = JSON_FIELD_LIMITS.maxKeys;
/** A BCP 47 language tag such as `es`, `es-ES` or `zh-Hant-TW` (`_` tolerated as separator). */
const LOCALE = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;

/**
 * A marketing consent value: given, refused, or `"pending"` — asked for (a sign-up form) and
 * waiting for the address to confirm (double opt-in). Pending is never consent.
 */
export type MarketingConsent = boolean | 'pending';
/** The value of `consent.marketing` that waits for double opt-in confirmation. */
export const PENDING_CONSENT = 'pending';

const marketingConsentSchema = z.union([z.boolean(), z.literal(PENDING_CONSENT)], {
  errorMap: () => ({ message: 'must be true, false or "pending" (double opt-in)' }),
});

const consentSchema = z.object({ marketing: marketingConsentSchema.optional(), transactional: z.boolean().optional() }).strict();

const channelProfileSchema = z
  .object({
    address: printableText(MAX_CHANNEL_ADDRESS_LENGTH).optional(),
    consent: consentSchema.optional(),
  })
  .strict();

const timezoneSchema = z.string().max(64).refine(isValidTimezone, 'must be an IANA time zone such as Europe/Madrid');

/**
 * A profile update for `PUT /v1/users/{userId}` (SPEC §4); merged into the stored profile.
 * `attributes` are within `JSON_FIELD_LIMITS`, topic names are ids, addresses printable.
 */
export const profileUpdateSchema = z
  .object({
    attributes: boundedJsonObject().optional(),
    timezone: timezoneSchema.nullable().optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO-3166 alpha-2 country code such as ES')
      .nullable()
      .optional(),
    locale: z.string().max(35).regex(LOCALE, 'must be a language tag such as es-ES').nullable().optional(),
    channels: z.record(channelSchema, channelProfileSchema).optional(),
    preferences: z
      .object({
        topics: z
          .record(idSchema, z.boolean())
          .refine((topics) => Object.keys(topics).length <= MAX_PREFERENCE_TOPICS, `must hold at most ${MAX_PREFERENCE_TOPICS} topics`)
          .optional(),
        maxPerWeek: z.number().int().min(0).nullable().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ProfileUpdate = z.infer<typeof profileUpdateSchema>;

/** When and from where a consent value was last set: the proof of opt-in. */
export interface ConsentRecord {
  value: MarketingConsent;
  at: string;
  source: string;
}

export interface ChannelProfile {
  address?: string;
  consent: { marketing?: MarketingConsent; transactional?: boolean };
  consentLog?: { marketing?: ConsentRecord; transactional?: ConsentRecord };
}

/** The stored profile of one user (what `GET /v1/users/{userId}` returns). */
export interface Profile {
  userId: string;
  attributes: Record<string, unknown>;
  timezone?: string;
  country?: string;
  locale?: string;
  channels: Partial<Record<Channel, ChannelProfile>>;
  preferences: { topics: Record<string, boolean>; maxPerWeek?: number };
  version: number;
  updatedAt: string;
}

function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An empty profile for a user seen for the first time. */
export function emptyProfile(userId: string, at: string): Profile {
  return { userId, attributes: {}, channels: {}, preferences: { topics: {} }, version: 0, updatedAt: at };
}

/**
 * Merges an update into a profile (SPEC §4 "merge"): attributes and topics key by key,
 * channels field by field, `null` clears a scalar. Every consent value that changes is
 * logged with its time and source, the proof of opt-in. Throws a ValidationError when the
 * merged attributes or topics would break the limits a single update keeps. A marketing
 * `"pending"` leaves a consent already given on the same address as it is (a sign-up form sent
 * again must not take back a confirmed opt-in); with a new address it applies (double opt-in), and
 * a pending consent whose address changes is requested again (its log entry is the new request).
 */
export function mergeProfile(current: Profile, update: ProfileUpdate, change: { at: string; source: string }): Profile {
  const next: Profile = structuredClone(current);
  if (update.attributes) Object.assign(next.attributes, update.attributes);
  for (const field of ['timezone', 'country', 'locale'] as const) {
    const value = update[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  for (const [channel, patch] of Object.entries(update.channels ?? {}) as [Channel, z.infer<typeof channelProfileSchema>][]) {
    const existing: ChannelProfile = next.channels[channel] ?? { consent: {} };
    const newAddress = patch.address !== undefined && patch.address !== existing.address;
    if (patch.address !== undefined) existing.address = patch.address;
    for (const category of CATEGORIES) {
      const value = patch.consent?.[category];
      if (value === undefined || value === existing.consent[category]) continue;
      if (value === PENDING_CONSENT && existing.consent[category] === true && !newAddress) continue;
      setConsent(existing, category, value);
      existing.consentLog = { ...existing.consentLog, [category]: { value, at: change.at, source: change.source } };
    }
    // A pending consent moved to a new address is asked again there: a new request, a new confirmation.
    if (newAddress && existing.consent.marketing === PENDING_CONSENT) {
      existing.consentLog = { ...existing.consentLog, marketing: { value: PENDING_CONSENT, at: change.at, source: change.source } };
    }
    next.channels[channel] = existing;
  }
  if (update.preferences?.topics) Object.assign(next.preferences.topics, update.preferences.topics);
  if (update.preferences?.maxPerWeek === null) delete next.preferences.maxPerWeek;
  else if (update.preferences?.maxPerWeek !== undefined) next.preferences.maxPerWeek = update.preferences.maxPerWeek;
  assertMergedWithinLimits(next, update);
  next.version = current.version + 1;
  next.updatedAt = change.at;
  return next;
}

/** Only marketing consent can be pending (the schema refuses it for transactional). */
function setConsent(entry: ChannelProfile, category: Category, value: MarketingConsent): void {
  if (category === 'marketing') entry.consent.marketing = value;
  else if (typeof value === 'boolean') entry.consent.transactional = value;
}

/**
 * Each update is within limits, but attributes and topics accumulate key by key: the merged
 * profile must keep the same limits, or the update is refused (a 400) and nothing changes.
 */
function assertMergedWithinLimits(merged: Profile, update: ProfileUpdate): void {
  if (update.attributes) {
    const issue = jsonLimitIssue(merged.attributes);
    if (issue) {
      const path = formatPath(['attributes', ...issue.path]);
      throw new ValidationError(`invalid profile update: once merged, ${path} ${issue.message}`, [
        { path, message: `once merged with the stored attributes, ${issue.message}` },
      ]);
    }
  }
  const topics = Object.keys(merged.preferences.topics).length;
  if (update.preferences?.topics && topics > MAX_PREFERENCE_TOPICS) {
    const message = `once merged with the stored topics, would hold ${topics}; at most ${MAX_PREFERENCE_TOPICS} are allowed`;
    throw new ValidationError(`invalid profile update: preferences.topics ${message}`, [{ path: 'preferences.topics', message }]);
  }
}
