import type { DeliveryUpdate, EventEnvelope } from '@nudge/contracts';
import type { OutgoingRecord, TopicNames } from '@nudge/kafka';
import { deliveryUpdateOf, messageEventOf, type StatusChange } from '../messages/status-change';

/**
 * One row of the outbox: a status change's DeliveryUpdate (for `nudge.deliveries.v1`) and its
 * `message_*` event (for `nudge.events.v1`), either of which may be absent, keyed by the user.
 */
export interface OutboxRecord {
  key: string;
  delivery: DeliveryUpdate | null;
  event: EventEnvelope | null;
}

/** An outbox record as stored, with its place in the publishing order. */
export interface StoredOutboxRecord extends OutboxRecord {
  seq: string;
}

/**
 * The records of status changes, in the order they must reach Kafka: one per change (its
 * DeliveryUpdate and its `message_*` event), then one per event of `moreEvents` (a reply to
 * a message already `replied` is an event, not a change). The event ids derive from the
 * message and status, so a record published twice is one event to its consumers.
 */
export function outboxRecordsOf(changes: StatusChange[], moreEvents: EventEnvelope[] = []): OutboxRecord[] {
  return [
    ...changes.map((change) => ({ key: change.message.userId, delivery: deliveryUpdateOf(change), event: messageEventOf(change) })),
    ...moreEvents.map((event) => ({ key: event.userId, delivery: null, event })),
  ];
}

/** Stored records as one producer call's topic batches: each topic's records in outbox order. */
export function topicBatchesOf(
  records: StoredOutboxRecord[],
  topics: Pick<TopicNames, 'deliveries' | 'events'>,
): { topic: string; records: OutgoingRecord[] }[] {
  const ordered = [...records].sort((a, b) => compareSeq(a.seq, b.seq));
  return [
    { topic: topics.deliveries, records: ordered.flatMap((r) => (r.delivery ? [{ key: r.key, value: r.delivery }] : [])) },
    { topic: topics.events, records: ordered.flatMap((r) => (r.event ? [{ key: r.key, value: r.event }] : [])) },
  ].filter((batch) => batch.records.length > 0);
}

/** Orders bigint sequence numbers given as decimal strings (as pg returns them). */
function compareSeq(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
