/** Kafka topic names of SPEC §2. A prefix (NUDGE_TOPIC_PREFIX) isolates stacks sharing a broker. */
export const TOPICS = {
  events: 'nudge.events.v1',
  profiles: 'nudge.profiles.v1',
  dispatch: 'nudge.dispatch.v1',
  deliveries: 'nudge.deliveries.v1',
} as const;

export type TopicKey = keyof typeof TOPICS;

/** The dead-letter topic of a topic: where records that cannot be processed go. */
export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** The concrete topic name for a stack whose topics carry `prefix`. */
export function topicName(key: TopicKey, prefix = ''): string {
  return `${prefix}${TOPICS[key]}`;
}

/** Headers set on a dead-lettered record. */
export const DLQ_HEADERS = {
  error: 'nudge-error',
  errorKind: 'nudge-error-kind',
  sourceTopic: 'nudge-source-topic',
  sourcePartition: 'nudge-source-partition',
  sourceOffset: 'nudge-source-offset',
  failedAt: 'nudge-failed-at',
} as const;

/**
 * A header the producers of `nudge.events.v1` set to the event's `name`, so a consumer can
 * skip the events it does not want without decoding them. Optional: a record without it is
 * decoded and judged by its body (any producer may write events), and the body's name is the
 * one decided on.
 */
export const EVENT_NAME_HEADER = 'nudge-event-name';
