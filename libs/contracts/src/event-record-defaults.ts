import { createHash } from 'node:crypto';
import { MAX_ID_LENGTH } from './text-limits';

/** Where a record of `nudge.events.v1` sits and when Kafka stamped it: what completes a §3 event written straight into the topic. */
export interface EventRecordOrigin {
  topic: string;
  partition: number;
  offset: string;
  /** The record's Kafka timestamp, epoch milliseconds as text (kafkajs' `message.timestamp`). */
  timestamp: string;
}

type Fields = Record<string, unknown>;

/**
 * A record of `nudge.events.v1` completed the way ingest completes an HTTP event (SPEC §3), so
 * an event another producer wrote in §3's shape is decided like one sent to `POST /v1/events`:
 * - `receivedAt` (ingest's own stamp) is the record's Kafka timestamp — when the event reached
 *   Kafka; the age limit judges `timestamp` against it, as it does for every envelope;
 * - `timestamp` defaults to `receivedAt`, `properties` and `context` to `{}`;
 * - `eventId` defaults to the record's place, `kafka:<topic>:<partition>:<offset>` (hashed when
 *   longer than an id may be): the same record read again is the same event, so redelivery stays
 *   idempotent. The same event produced twice is two records: a producer that retries by hand
 *   must set its own eventId.
 * A complete envelope (what ingest, dispatch and rules publish) is returned as it came after five
 * property reads: this runs on every record rules decides. Anything else that is not a
 * completable object is returned unchanged, for the envelope schema to refuse with its path.
 */
export function withEventRecordDefaults(value: unknown, origin: EventRecordOrigin): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const fields = value as Fields;
  if (
    fields.receivedAt !== undefined &&
    fields.eventId !== undefined &&
    fields.timestamp !== undefined &&
    fields.context !== undefined &&
    fields.properties !== undefined
  ) {
    return value;
  }
  const receivedAt = fields.receivedAt ?? kafkaTime(origin.timestamp);
  return {
    ...fields,
    eventId: fields.eventId ?? recordEventId(origin),
    timestamp: fields.timestamp ?? receivedAt,
    receivedAt,
    properties: fields.properties ?? {},
    context: fields.context ?? {},
  };
}

/** The eventId of a record that carries none: its topic, partition and offset. */
export function recordEventId({ topic, partition, offset }: Pick<EventRecordOrigin, 'topic' | 'partition' | 'offset'>): string {
  const id = `kafka:${topic}:${partition}:${offset}`;
  return id.length <= MAX_ID_LENGTH ? id : `kafka:${createHash('sha256').update(id).digest('hex')}`;
}

/** A Kafka timestamp as an ISO time, or undefined when the record has none (-1) and `receivedAt` stays missing. */
function kafkaTime(timestamp: string): string | undefined {
  const ms = Number(timestamp);
  return Number.isFinite(ms) && ms >= 0 ? new Date(ms).toISOString() : undefined;
}
