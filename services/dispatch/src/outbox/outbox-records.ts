import { eventRecord, type OutgoingRecord, type TopicNames } from '@nudge/kafka';
import { KEYWORD_REPLY_CAMPAIGN } from '../messages/message';
import { deliveryUpdateOf, messageEventOf, type StatusChange } from '../messages/status-change';

/**
 * One row of the outbox: a status change, kept with only what its records are made of. The
 * relay renders its DeliveryUpdate (for `nudge.deliveries.v1`, unless `eventOnly`) and its
 * `message_*` event (for `nudge.events.v1`, for statuses that have one), both keyed by the user.
 */
export interface OutboxRecord {
  change: StatusChange;
  /** An event that is not a change (a reply to a message already `replied`): no DeliveryUpdate. */
  eventOnly: boolean;
}

/** An outbox record as stored, with its place in the publishing order (the records of one row share its `seq`, in order). */
export interface StoredOutboxRecord extends OutboxRecord {
  seq: string;
}

/**
 * The records of status changes, in the order they must reach Kafka: the changes, then
 * `eventsOnly`. Each keeps only the message fields its records need (a row is a few hundred
 * bytes, written with the status in the hot path). The event ids derive from the message and
 * status, so a record published twice is one event to its consumers. STOP and START
 * confirmations have none: they are no campaign's messages, nothing downstream counts them.
 */
export function outboxRecordsOf(changes: StatusChange[], eventsOnly: StatusChange[] = []): OutboxRecord[] {
  const ofCampaigns = (change: StatusChange) => change.message.campaignId !== KEYWORD_REPLY_CAMPAIGN;
  return [
    ...changes.filter(ofCampaigns).map((change) => ({ change: compact(change), eventOnly: false })),
    ...eventsOnly.filter(ofCampaigns).map((change) => ({ change: compact(change), eventOnly: true })),
  ];
}

/** Stored records as one producer call's topic batches: each topic's records in outbox order (a stable sort: a row's records keep theirs). */
export function topicBatchesOf(
  records: StoredOutboxRecord[],
  topics: Pick<TopicNames, 'deliveries' | 'events'>,
): { topic: string; records: OutgoingRecord[] }[] {
  const ordered = [...records].sort((a, b) => compareSeq(a.seq, b.seq));
  const deliveries = ordered.filter((r) => !r.eventOnly).map((r) => ({ key: r.change.message.userId, value: deliveryUpdateOf(r.change) }));
  const events = ordered.flatMap((r) => {
    const event = messageEventOf(r.change);
    // Named in a header: rules skips the message_* events no campaign wants without decoding them.
    return event ? [eventRecord(event)] : [];
  });
  return [
    { topic: topics.deliveries, records: deliveries },
    { topic: topics.events, records: events },
  ].filter((batch) => batch.records.length > 0);
}

function compact(change: StatusChange): StatusChange {
  const { id, sendId, userId, campaignId, stepId, channel, provider } = change.message;
  return {
    message: { id, sendId, userId, campaignId, stepId, channel, provider },
    status: change.status,
    at: change.at,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    ...(change.event === undefined ? {} : { event: change.event }),
  };
}

/** Orders bigint sequence numbers given as decimal strings (as pg returns them). */
function compareSeq(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
