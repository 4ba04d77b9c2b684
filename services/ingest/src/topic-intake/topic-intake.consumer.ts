import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ServiceUnavailableError, ValidationError, type ValidationIssue } from '@nudge/contracts';
import {
  ensureTopicPlan,
  isInfrastructureError,
  PoisonRecordError,
  startBatchConsumer,
  type ConsumedRecord,
  type RejectedRecord,
  type RunningConsumer,
  type JsonProducer,
  type TopicNames,
} from '@nudge/kafka';
import { ConfigError, KAFKA, PRODUCER, ServiceMetrics, TOPICS } from '@nudge/service-runtime';
import type { IHeaders, Kafka } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { z } from 'zod';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { SegmentService } from '../segment/segment.service';
import { readIntakeRecord, type IntakeFormat } from './intake-records';

/** Records are JSON; what they mean is decided per record by `readIntakeRecord`, with their headers. */
const anyJson = z.unknown();

/** A record read as Segment messages, and where its messages are in the slice's request. */
interface ReadyRecord {
  record: ConsumedRecord<unknown>;
  format: IntakeFormat;
  messages: Record<string, unknown>[];
}

/**
 * Reads the topics of `INGEST_KAFKA_TOPICS` (off when unset): Segment messages and batches, and
 * CloudEvents in binary or structured mode, written by producers that are not Nudge's, applied
 * exactly as the Segment HTTP routes apply calls (events published to nudge.events.v1, profiles
 * merged). A record that cannot be read goes to `<topic>.dlq` naming its fields, and the records
 * behind it are read; offsets are committed only once a slice's events are acknowledged.
 */
@Injectable()
export class TopicIntakeConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly segment: SegmentService,
    private readonly metrics: ServiceMetrics,
    @InjectPinoLogger('topic-intake') private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = this.config.INGEST_KAFKA_TOPICS;
    if (topics.length === 0) return;
    const nudgeTopics: string[] = [this.topics.events, this.topics.profiles, this.topics.dispatch, this.topics.deliveries];
    const own = topics.filter((topic) => nudgeTopics.includes(topic));
    // Reading Nudge's own topics would publish every event again, forever.
    if (own.length > 0) throw new ConfigError(`INGEST_KAFKA_TOPICS must not name Nudge's own topics: ${own.join(', ')}`);
    // The DLQs are ours to create; a missing source topic too, so ingest can start before its producers.
    await ensureTopicPlan(this.kafka, intakeTopicPlan(topics, this.config.NUDGE_BODY_TOPIC_RETENTION_MS));
    this.consumer = await startBatchConsumer({
      kafka: this.kafka,
      groupId: `${this.topics.prefix}nudge-ingest`,
      topics: this.config.INGEST_KAFKA_TOPICS,
      fromBeginning: this.config.INGEST_KAFKA_START === 'earliest',
      schema: anyJson,
      deadLetters: this.producer,
      logger: this.logger,
      ...this.metrics.consumerHooks,
      // Kafka or Postgres not answering in time is no fault of the records: retried, never dead-lettered.
      isolation: { isInfrastructure: (error) => error instanceof ServiceUnavailableError || isInfrastructureError(error) },
      handle: (records) => this.apply(records),
    });
    this.logger.info({ topics }, 'reading Segment messages and CloudEvents from Kafka');
  }

  /**
   * Reads every record of the slice, dead-letters those that cannot be read, and applies the
   * others' messages in ONE Segment request (one producer call for all their events). If that
   * request is refused as a whole (an identify whose phone cannot be read), each record is
   * applied on its own, so only the faulty one goes to the DLQ.
   */
  private async apply(records: ConsumedRecord<unknown>[]): Promise<RejectedRecord<unknown>[]> {
    const receivedAt = new Date();
    const ageLimit = { maxEventAgeMs: this.config.NUDGE_MAX_EVENT_AGE };
    const rejected: RejectedRecord<unknown>[] = [];
    const ready: ReadyRecord[] = [];
    for (const record of records) {
      const read = readIntakeRecord({ ...record, headers: textHeaders(record.headers) }, receivedAt, ageLimit);
      if (read.ok) ready.push({ record, format: read.format, messages: read.messages });
      else rejected.push({ record, error: unreadable(read.format, read.issues) });
    }
    if (ready.length === 0) return rejected;
    try {
      await this.segment.apply({ messages: ready.flatMap((r) => r.messages) }, {});
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const one of ready) {
        const refusal = await this.applyAlone(one);
        if (refusal) rejected.push({ record: one.record, error: unreadable(one.format, refusal.details) });
      }
    }
    return rejected;
  }

  /** Applies one record's messages by themselves: the refusal when they are refused, nothing when applied. */
  private async applyAlone(ready: ReadyRecord): Promise<ValidationError | undefined> {
    try {
      await this.segment.apply({ messages: ready.messages, pathOf: pathsOf(ready) }, {});
      return undefined;
    } catch (error) {
      if (error instanceof ValidationError) return error;
      throw error;
    }
  }

  /** Finishes the slice in hand and commits its offsets. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}

/** The topics an intake needs: each source topic (created only when missing) and its DLQ. */
function intakeTopicPlan(topics: string[], retentionMs: number) {
  return topics.flatMap((topic) => [
    { topic, numPartitions: 6, replicationFactor: -1 },
    {
      topic: `${topic}.dlq`,
      numPartitions: 1,
      replicationFactor: -1,
      configEntries: [{ name: 'retention.ms', value: String(retentionMs) }],
    },
  ]);
}

/** Error paths of a record applied alone: a batch's messages by their index in it, a single message by nothing. */
function pathsOf(ready: ReadyRecord): (index: number) => (string | number)[] {
  const batched = ready.format === 'segment' && Array.isArray((ready.record.value as { batch?: unknown } | null)?.batch);
  return (index) => (batched ? ['batch', index] : []);
}

function unreadable(format: IntakeFormat, issues: readonly ValidationIssue[]): PoisonRecordError {
  const detail = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  const what = format === 'cloudevent' ? 'CloudEvent' : 'Segment message';
  return new PoisonRecordError(`invalid ${what}: ${detail}`, format === 'cloudevent' ? 'invalid_cloudevent' : 'invalid_segment');
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) text[name] = first.toString();
  }
  return text;
}
