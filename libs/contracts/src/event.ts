import { z } from 'zod';
import { boundedJsonObject, walkedJsonObject } from './bounded-json';
import { CONSENT_EVENT_NAMES } from './consent-event-names';
import { isoDateTime } from './date-time';
import { DEFAULT_MAX_EVENT_AGE, eventTimeProblem, fixedDurationMillis } from './event-time';
import { eventNameSchema, idSchema } from './text-limits';

/** Where the age of events is judged. */
export interface EventAgeLimit {
  /** `NUDGE_MAX_EVENT_AGE` in milliseconds. */
  maxEventAgeMs: number;
}

/**
 * An event as a client sends it to `POST /v1/events` (SPEC §3): ids and name printable
 * and bounded (`idSchema`, `eventNameSchema`), `properties` and `context` within
 * `JSON_FIELD_LIMITS`. Its timestamp's distance from receipt is checked by
 * `eventInputSchemaAt`, which knows when the event was received.
 */
export const eventInputSchema = z
  .object({
    eventId: idSchema.optional(),
    userId: idSchema,
    name: eventNameSchema,
    timestamp: isoDateTime('must be an ISO-8601 date-time').optional(),
    properties: boundedJsonObject().default({}),
    context: boundedJsonObject().default({}),
  })
  .strict();

export type EventInput = z.input<typeof eventInputSchema>;

/**
 * Events only Nudge itself publishes, because publishing one *does* something: a consent
 * event says a consent changed (and `consent_requested` makes rules send a double opt-in
 * confirmation), `fallback_due` wakes a fallback step, `user_merged` moves an anonymous id's
 * state to its known user. An app changes consent through `PUT /v1/users/{id}` (and aliases
 * through `POST /v1/users/{id}/aliases`); it cannot send these to ingest. (`message_*` events
 * stay open: they only report.)
 */
export const ENGINE_EVENT_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(CONSENT_EVENT_NAMES),
  // FALLBACK_DUE_EVENT and USER_MERGED_EVENT, spelled out: fallback-due.ts reaches this module
  // through send-request.ts, and user-merge.ts builds EventEnvelopes (event.spec.ts checks both names).
  'fallback_due',
  'user_merged',
]);

/** `eventInputSchema` whose `properties` and `context` are not walked again (see `eventInputSchemaOfWalkedJsonAt`). */
const eventInputOfWalkedJson = eventInputSchema.extend({
  properties: walkedJsonObject().default({}),
  context: walkedJsonObject().default({}),
});

/**
 * `eventInputSchema` for an event an app sent, received at `receivedAt`: its timestamp must be
 * near it (`eventTimeProblem`) and its name not one only Nudge publishes (`ENGINE_EVENT_NAMES`).
 */
export function eventInputSchemaAt(receivedAt: Date, limit: EventAgeLimit) {
  return refinedAt(eventInputSchema, receivedAt, limit);
}

/**
 * `eventInputSchemaAt` for an event whose caller walked the whole message holding `properties`
 * and `context` within `JSON_FIELD_LIMITS` (one level deeper, the message being level 1) before:
 * the Segment routes walk each message once for its 32 KB limit, and a second walk of the same
 * values would cost as much again.
 */
export function eventInputSchemaOfWalkedJsonAt(receivedAt: Date, limit: EventAgeLimit) {
  return refinedAt(eventInputOfWalkedJson, receivedAt, limit);
}

function refinedAt<S extends z.ZodType<z.output<typeof eventInputSchema>, z.ZodTypeDef, unknown>>(
  schema: S,
  receivedAt: Date,
  { maxEventAgeMs }: EventAgeLimit,
) {
  const received = receivedAt.toISOString();
  return schema.superRefine((event, ctx) => {
    if (event.timestamp !== undefined) checkTimestamp(event.timestamp, received, maxEventAgeMs, ctx);
    if (ENGINE_EVENT_NAMES.has(event.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `${event.name} is published by Nudge itself and cannot be sent; ${
          event.name === 'user_merged' ? 'merge users with POST /v1/users/{userId}/aliases' : 'change consent with PUT /v1/users/{userId}'
        }`,
      });
    }
  });
}

const eventEnvelopeObject = z.object({
  eventId: idSchema,
  userId: idSchema,
  name: eventNameSchema,
  timestamp: isoDateTime(),
  receivedAt: isoDateTime(),
  properties: boundedJsonObject(),
  context: boundedJsonObject(),
});

/** The event envelope on `nudge.events.v1`: every field resolved. */
export type EventEnvelope = z.infer<typeof eventEnvelopeObject>;

/**
 * The envelope as a consumer reads it: the same limits as at ingest, and a timestamp no
 * further from the envelope's own `receivedAt` than ingest allows. Judging by `receivedAt`
 * rather than the consumer's clock keeps replays of old records valid.
 */
export function eventEnvelopeSchemaFor({ maxEventAgeMs }: EventAgeLimit) {
  return eventEnvelopeObject.superRefine((event, ctx) => {
    checkTimestamp(event.timestamp, event.receivedAt, maxEventAgeMs, ctx);
  });
}

/** The envelope schema with the default age limit (`P30D`). */
export const eventEnvelopeSchema = eventEnvelopeSchemaFor({ maxEventAgeMs: fixedDurationMillis(DEFAULT_MAX_EVENT_AGE)! });

function checkTimestamp(timestamp: string, receivedAt: string, maxEventAgeMs: number, ctx: z.RefinementCtx): void {
  const problem = eventTimeProblem(timestamp, receivedAt, maxEventAgeMs);
  if (problem) ctx.addIssue({ code: 'custom', path: ['timestamp'], message: problem });
}

export const MAX_BATCH_EVENTS = 1000;

/** Events a message status change publishes back to `nudge.events.v1` (SPEC §2). */
export const MESSAGE_EVENT_NAMES = {
  sent: 'message_sent',
  delivered: 'message_delivered',
  read: 'message_read',
  clicked: 'message_clicked',
  replied: 'message_replied',
  failed: 'message_failed',
} as const;

const MESSAGE_EVENTS: ReadonlySet<string> = new Set(Object.values(MESSAGE_EVENT_NAMES));

/** Whether `name` is one of the message status events dispatch publishes (`message_clicked`, …). */
export function isMessageEventName(name: string): boolean {
  return MESSAGE_EVENTS.has(name);
}
