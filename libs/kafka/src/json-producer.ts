import { EVENT_NAME_HEADER } from '@nudge/contracts';
import { Partitioners, type IHeaders, type Kafka, type Producer, CompressionTypes } from 'kafkajs';
import type { TopicNames } from './kafka-client';
import { withinDeadline } from './publish-deadline';

export interface OutgoingRecord {
  key: string | null;
  /** Serialised as JSON; `null` is a tombstone (compacted topics). */
  value: unknown;
  headers?: Record<string, string>;
}

/**
 * An event as a record of `nudge.events.v1`: keyed by its user, its name in the
 * EVENT_NAME_HEADER (consumers skip what they do not want by it), with `headers` beside.
 */
export function eventRecord(event: { userId: string; name: string }, headers: Record<string, string> = {}): OutgoingRecord {
  return { key: event.userId, value: event, headers: { ...headers, [EVENT_NAME_HEADER]: event.name } };
}

/**
 * An idempotent producer of JSON records. `publish` resolves once the broker has
 * acknowledged every record (acks=all), so callers may commit what depends on them.
 */
export class JsonProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: records.map((r) => ({
        key: r.key,
        value: r.value === null ? null : JSON.stringify(r.value),
        headers: r.headers,
      })),
    });
  }

  /**
   * `publish` for a caller that must answer in time (an HTTP request, above all one holding a
   * transaction): fails with ServiceUnavailableError after `deadlineMs` without an
   * acknowledgement. The send may still be acknowledged later (see `withinDeadline`).
   */
  publishWithin(topic: string, records: OutgoingRecord[], deadlineMs: number): Promise<void> {
    return withinDeadline(this.publish(topic, records), deadlineMs);
  }

  /**
   * A profile change as every writer of profiles publishes it (ingest's PUT/DELETE, dispatch's
   * consent withdrawals and unsubscribe links): the profile — or its tombstone, `null` — on the
   * compacted profiles topic and the change's consent events on the events topic, both keyed
   * by user id (each event named in the EVENT_NAME_HEADER), in one request, failing with ServiceUnavailableError after `deadlineMs`.
   * `afterLate` runs once a send that missed the deadline settles (see `withinDeadline`): it may
   * have landed after later changes, so the writer publishes the stored profile again.
   */
  publishProfileChange(
    topics: TopicNames,
    userId: string,
    profile: unknown,
    consentEvents: readonly { userId: string; name: string }[],
    deadlineMs: number,
    afterLate?: () => void,
  ): Promise<void> {
    return withinDeadline(
      this.publishMany([
        { topic: topics.profiles, records: [{ key: userId, value: profile }] },
        { topic: topics.events, records: consentEvents.map((event) => eventRecord(event)) },
      ]),
      deadlineMs,
      afterLate,
    );
  }

  /** Publishes records whose bytes are kept as they came (dead letters). */
  async publishRaw(topic: string, records: { key: Buffer | string | null; value: Buffer | null; headers: IHeaders }[]): Promise<void> {
    if (records.length === 0) return;
    await this.producer.send({ topic, acks: -1, messages: records });
  }

  /** Publishes to several topics in one request per broker. */
  async publishMany(batches: { topic: string; records: OutgoingRecord[] }[]): Promise<void> {
    const topicMessages = batches
      .filter((b) => b.records.length > 0)
      .map((b) => ({
        topic: b.topic,
        messages: b.records.map((r) => ({
          key: r.key,
          value: r.value === null ? null : JSON.stringify(r.value),
          headers: r.headers,
        })),
      }));
    if (topicMessages.length === 0) return;
    await this.producer.sendBatch({ topicMessages, acks: -1 });
  }
}
