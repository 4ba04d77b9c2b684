import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CONSENT_EVENT_NAMES } from './consent-event-names';
import type { EventEnvelope } from './event';
import {
  CATEGORIES,
  CHANNELS,
  PENDING_CONSENT,
  type Category,
  type Channel,
  type ChannelProfile,
  type MarketingConsent,
  type Profile,
} from './profile';
import { printableText } from './text-limits';

/**
 * Sources of consent changes Nudge itself names. A caller may name its own with
 * `X-Nudge-Source` (`signup-form`); dispatch's inbound STOPs are `inbound:<provider>` and
 * `provider:<provider>`, its recipient links `one_click` and `unsubscribe_link`.
 */
export const CONSENT_SOURCES = {
  api: 'api',
  keyword: 'keyword',
  preferencePage: 'preference_page',
  doubleOptIn: 'double_opt_in',
  widget: 'widget',
  provider: 'provider',
  oneClick: 'one_click',
  unsubscribeLink: 'unsubscribe_link',
  /** Consent an anonymous profile held, carried to the known user by an alias. */
  alias: 'alias',
  /** The Segment-compatible ingest (`/segment/v1/identify`): addresses from traits, consent from Segment's consent object. */
  segment: 'segment',
} as const;

/** Exported here too, beside the other consent names (defined in consent-event-names.ts). */
export { CONSENT_EVENT_NAMES };

const CONSENT_EVENTS: ReadonlySet<string> = new Set(Object.values(CONSENT_EVENT_NAMES));

/** Whether `name` is one of the consent events Nudge publishes (`consent_granted`, …). */
export function isConsentEventName(name: string): boolean {
  return CONSENT_EVENTS.has(name);
}

/** Most consent changes one page of `GET /v1/users/{id}/consent` holds. */
export const MAX_CONSENT_HISTORY_PAGE_SIZE = 500;

/** Longest user agent kept as proof (longer ones are cut, never refused, when read from a header). */
export const MAX_USER_AGENT_LENGTH = 512;
/** Longest consent text version (`2026-11-terms`, a hash of the text shown). */
export const MAX_CONSENT_TEXT_VERSION_LENGTH = 128;
/** Longest IP address text (IPv6 with a zone is under 64). */
export const MAX_IP_LENGTH = 64;

/**
 * Proof that goes with the consent changes of one request: where the person was (IP), what
 * they used (user agent) and which consent text they saw. In `PUT /v1/users/{id}` it is
 * `consentProof`; what it leaves out is taken from the request (X-Forwarded-For, User-Agent).
 */
export const consentProofSchema = z
  .object({
    ip: z.string().max(MAX_IP_LENGTH).ip('must be an IPv4 or IPv6 address').optional(),
    userAgent: printableText(MAX_USER_AGENT_LENGTH).optional(),
    textVersion: printableText(MAX_CONSENT_TEXT_VERSION_LENGTH).optional(),
  })
  .strict();

export type ConsentProof = z.infer<typeof consentProofSchema>;

/** One consent change, as the consent history keeps it (`GET /v1/users/{id}/consent`). */
export interface ConsentChange {
  channel: Channel;
  category: Category;
  value: MarketingConsent;
  at: string;
  source: string;
  ip: string | null;
  userAgent: string | null;
  textVersion: string | null;
  /** What else proves it, when known: the reply that confirmed a double opt-in (provider, message id, sender). */
  evidence?: string;
}

/** Where and how one batch of consent changes happened. */
export interface ConsentChangeContext {
  at: string;
  source: string;
  proof?: ConsentProof;
  /** Proof that has no field of its own: the inbound reply (provider, message id, sender) that confirmed a double opt-in. */
  evidence?: string;
}

/**
 * The consent values that differ between a profile and its merged successor, each with the
 * context's time, source and proof. A value set for the first time is a change (as in the
 * profile's consent log); one set again to what it was is not — except a pending consent whose
 * address changed: it is requested again, and the new address gets the confirmation.
 */
export function consentChangesBetween(before: Profile, after: Profile, context: ConsentChangeContext): ConsentChange[] {
  const changes: ConsentChange[] = [];
  for (const channel of CHANNELS) {
    for (const category of CATEGORIES) {
      const value = after.channels[channel]?.consent[category];
      const previous = before.channels[channel];
      const askedAgain = category === 'marketing' && isAskedAgain(previous, after.channels[channel]);
      if (value === undefined || (value === previous?.consent[category] && !askedAgain)) continue;
      changes.push({
        channel,
        category,
        value,
        at: context.at,
        source: context.source,
        ip: context.proof?.ip ?? null,
        userAgent: context.proof?.userAgent ?? null,
        textVersion: context.proof?.textVersion ?? null,
        ...(context.evidence === undefined ? {} : { evidence: context.evidence }),
      });
    }
  }
  return changes;
}

/** A marketing consent pending before and after, on another address: a new request. */
function isAskedAgain(before: ChannelProfile | undefined, after: ChannelProfile | undefined): boolean {
  return before?.consent.marketing === PENDING_CONSENT && after?.consent.marketing === PENDING_CONSENT && before.address !== after.address;
}

/** The event name of a consent change: requested (pending double opt-in), withdrawn, confirmed (double opt-in), or granted. */
export function consentEventName(change: Pick<ConsentChange, 'value' | 'source'>): string {
  if (change.value === PENDING_CONSENT) return CONSENT_EVENT_NAMES.requested;
  if (!change.value) return CONSENT_EVENT_NAMES.withdrawn;
  return change.source === CONSENT_SOURCES.doubleOptIn ? CONSENT_EVENT_NAMES.confirmed : CONSENT_EVENT_NAMES.granted;
}

/** What makes a consent change one event and no other: the user's incarnation and the profile version it made. */
export interface ConsentChangeIdentity {
  userId: string;
  /** When the user id was last erased (`never`): a user created again after erasure starts at version 1 again. */
  incarnation: string;
  /** The profile version the change produced. */
  version: number;
}

/**
 * The event of a consent change (`consent_granted` / `consent_withdrawn` / `consent_confirmed`),
 * keyed by userId. Its id derives from the user, incarnation, version, channel and category:
 * a request retried after its transaction rolled back makes the same version again, so a
 * publish that reached Kafka late and its retry are one event to rules. Proof (IP, user
 * agent) stays in the consent history and is not copied into the event.
 */
export function consentEventOf(identity: ConsentChangeIdentity, change: ConsentChange): EventEnvelope {
  const digest = createHash('sha256')
    .update(JSON.stringify([identity.userId, identity.incarnation, identity.version, change.channel, change.category]))
    .digest('hex');
  return {
    eventId: `consent-${digest.slice(0, 40)}`,
    userId: identity.userId,
    name: consentEventName(change),
    timestamp: change.at,
    receivedAt: change.at,
    properties: {
      channel: change.channel,
      category: change.category,
      value: change.value,
      source: change.source,
      ...(change.textVersion === null ? {} : { textVersion: change.textVersion }),
    },
    context: { source: 'consent' },
  };
}
