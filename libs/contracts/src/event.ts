import { isoDateTime } from './date-time';
import { z } from 'zod';

const nonEmptyId = z.string().trim().min(1, 'must not be empty').max(256, 'must be at most 256 characters');

/** An event as a client sends it to `POST /v1/events` (SPEC §3). */
export const eventInputSchema = z
  .object({
    eventId: nonEmptyId.optional(),
    userId: nonEmptyId,
    name: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    timestamp: isoDateTime('must be an ISO-8601 date-time').optional(),
    properties: z.record(z.unknown()).default({}),
    context: z.record(z.unknown()).default({}),
  })
  .strict();

export type EventInput = z.input<typeof eventInputSchema>;

/** The event envelope on `nudge.events.v1`: every field resolved. */
export const eventEnvelopeSchema = z.object({
  eventId: nonEmptyId,
  userId: nonEmptyId,
  name: z.string().min(1),
  timestamp: isoDateTime(),
  receivedAt: isoDateTime(),
  properties: z.record(z.unknown()),
  context: z.record(z.unknown()),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

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
