import { randomUUID } from 'node:crypto';
import {
  eventInputSchema,
  eventInputSchemaAt,
  MAX_BATCH_EVENTS,
  type EventAgeLimit,
  type EventEnvelope,
  type ValidationIssue,
} from '@nudge/contracts';
import { z } from 'zod';
import { checkInput, invalid, parseInput, requireJsonObject } from '../common/input-validation';

export const eventBatchSchema = z
  .object({
    events: z
      .array(z.unknown())
      .min(1, 'must hold at least one event')
      .max(MAX_BATCH_EVENTS, `must hold at most ${MAX_BATCH_EVENTS} events; split the batch`),
  })
  .strict();

type EventInput = z.output<typeof eventInputSchema>;

/**
 * The envelope of one event (`POST /v1/events`), or a 400 naming each bad field: ids,
 * name, `properties` and `context` within their limits, the timestamp within `limit` of
 * `receivedAt` (and at most a day ahead of it).
 */
export function envelopeOfEvent(body: unknown, receivedAt: Date, limit: EventAgeLimit): EventEnvelope {
  const input = parseInput(eventInputSchemaAt(receivedAt, limit), requireJsonObject(body), 'event');
  return toEnvelope(input, receivedAt.toISOString());
}

/**
 * The envelopes of a batch (`POST /v1/events/batch`), all or nothing: every event is
 * checked before any is accepted, and the 400 names the problems of all of them
 * (`events[3].timestamp`). The same eventId twice in one batch keeps the first event.
 */
export function envelopesOfBatch(body: unknown, receivedAt: Date, limit: EventAgeLimit): EventEnvelope[] {
  const { events } = parseInput(eventBatchSchema, requireJsonObject(body), 'event batch');
  const schema = eventInputSchemaAt(receivedAt, limit);
  const at = receivedAt.toISOString();
  const envelopes: EventEnvelope[] = [];
  const issues: ValidationIssue[] = [];
  events.forEach((item, index) => {
    const checked = checkInput(schema, item, ['events', index]);
    if (checked.ok) envelopes.push(toEnvelope(checked.value, at));
    else issues.push(...checked.issues);
  });
  if (issues.length > 0) throw invalid('event batch', issues);
  return distinctByEventId(envelopes);
}

/** How many events a request body holds, for counting the ones a 400 rejected. */
export function eventsClaimedBy(body: unknown): number {
  const events = (body as { events?: unknown } | null | undefined)?.events;
  return Array.isArray(events) ? Math.max(events.length, 1) : 1;
}

/** Fills what the client may leave out: eventId, timestamp (receipt time, UTC), receivedAt. */
function toEnvelope(input: EventInput, receivedAt: string): EventEnvelope {
  return {
    eventId: input.eventId ?? randomUUID(),
    userId: input.userId,
    name: input.name,
    timestamp: input.timestamp === undefined ? receivedAt : new Date(input.timestamp).toISOString(),
    receivedAt,
    properties: input.properties,
    context: input.context,
  };
}

/** eventId is the idempotency key: one event per id, the first one sent. */
function distinctByEventId(envelopes: EventEnvelope[]): EventEnvelope[] {
  const byId = new Map<string, EventEnvelope>();
  for (const envelope of envelopes) if (!byId.has(envelope.eventId)) byId.set(envelope.eventId, envelope);
  return byId.size === envelopes.length ? envelopes : [...byId.values()];
}
