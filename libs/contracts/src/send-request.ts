import { createHash } from 'node:crypto';
import { z, type ZodType, type ZodTypeDef } from 'zod';
import { boundedJsonObject, JSON_FIELD_LIMITS, type JsonLimits } from './bounded-json';
import { CHANNELS, channelSchema } from './profile';
import { isoDateTime } from './date-time';
import { eventEnvelopeSchema, eventEnvelopeSchemaFor, type EventAgeLimit, type EventEnvelope } from './event';
import { MAX_ID_LENGTH, idSchema, printableText, textWithoutNul } from './text-limits';

/** The step id of a single-message campaign's only message. */
export const MAIN_STEP = 'main';

/**
 * The id of one send: the same (campaign, trigger event, step) always yields the same id,
 * which is what makes a send exactly-once however often it is retried or replayed.
 */
export function deriveSendId(parts: { campaignId: string; triggerEventId: string; stepId: string }): string {
  return stableId('snd', [parts.campaignId, parts.triggerEventId, parts.stepId]);
}

/** The id of the journey run a trigger event starts: one run per (campaign, trigger event). */
export function deriveRunId(parts: { campaignId: string; triggerEventId: string }): string {
  return stableId('run', [parts.campaignId, parts.triggerEventId]);
}

/** `<prefix>_` and 32 hex digits of the SHA-256 of the parts: the same parts, the same id. */
function stableId(prefix: string, parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/** Longest rendered message body and subject dispatch takes (characters). */
export const MAX_MESSAGE_BODY_LENGTH = 1_000_000;
export const MAX_MESSAGE_SUBJECT_LENGTH = 1_000;
/** Longest recipient address: the same as a profile's channel address. */
export const MAX_ADDRESS_LENGTH = 512;

/**
 * The profile a send request carries: a stored profile, whose attributes (level 2) hold
 * at most `JSON_FIELD_LIMITS` and whose preference topics are bounded at ingest; these
 * limits leave room for channels and consent logs and still refuse a hostile record.
 */
export const PROFILE_SCOPE_LIMITS: Readonly<JsonLimits> = Object.freeze({
  maxBytes: 256 * 1024,
  maxDepth: JSON_FIELD_LIMITS.maxDepth + 1,
  maxKeys: 1024,
  maxItems: JSON_FIELD_LIMITS.maxItems,
});

function sendRequestObject(event: ZodType<EventEnvelope, ZodTypeDef, unknown>) {
  return z.object({
    sendId: idSchema,
    campaignId: idSchema,
    campaignVersion: z.number().int().positive(),
    category: z.enum(['marketing', 'transactional']),
    stepId: idSchema,
    userId: idSchema,
    triggerEventId: idSchema,
    decidedAt: isoDateTime(),
    channel: channelSchema,
    to: printableText(MAX_ADDRESS_LENGTH),
    message: z.object({
      sender: textWithoutNul(MAX_ID_LENGTH).optional(),
      body: textWithoutNul(MAX_MESSAGE_BODY_LENGTH),
      subject: textWithoutNul(MAX_MESSAGE_SUBJECT_LENGTH).optional(),
      /**
       * The campaign's `expireAfter` (ISO-8601 duration): a message not sent within it of
       * `decidedAt` is `expired`, never sent late. Absent: no expiry.
       */
      expireAfter: printableText(64).optional(),
    }),
    /**
     * A fallback chain: if the message is not `read` within `after`, dispatch sends it on
     * the first of `channels` the user can still receive (only one channel in flight).
     */
    fallback: z.object({ channels: z.array(channelSchema).min(1).max(CHANNELS.length), after: printableText(64) }).optional(),
    /** What the template sees: the trigger event, the profile at decision time, the campaign. */
    scope: z.object({
      event,
      profile: boundedJsonObject(PROFILE_SCOPE_LIMITS),
      campaign: z.object({ id: idSchema, name: z.string().optional(), version: z.number() }).passthrough(),
    }),
  });
}

/**
 * A send decided by rules, published on `nudge.dispatch.v1` (keyed by userId), as dispatch
 * reads it: ids printable and bounded, no NUL in the message (Postgres cannot store it),
 * and the trigger event under the same limits as on the events topic.
 */
export function sendRequestSchemaFor(limit: EventAgeLimit) {
  return sendRequestObject(eventEnvelopeSchemaFor(limit));
}

/** The send request schema with the default event age limit (`P30D`). */
export const sendRequestSchema = sendRequestObject(eventEnvelopeSchema);

export type SendRequest = z.infer<typeof sendRequestSchema>;
