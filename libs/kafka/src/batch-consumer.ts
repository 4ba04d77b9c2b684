import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, issuesFromZod } from '@nudge/contracts';
import type { ZodType, ZodTypeDef } from 'zod';
import type { JsonProducer } from './json-producer';
import { whileRetriable } from './topics';

/** A record that decoded and passed its schema. */
export interface ConsumedRecord<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  timestamp: string;
}

/** A record the handler could not process and never will: it goes to the DLQ. */
export class PoisonRecordError extends Error {
  constructor(
    message: string,
    readonly kind = 'unprocessable',
  ) {
    super(message);
    this.name = 'PoisonRecordError';
  }
}

export interface RejectedRecord<T> {
  record: ConsumedRecord<T>;
  error: PoisonRecordError;
}

/**
 * Handles one batch of valid records. Records it cannot process are returned and go to
 * the DLQ; throwing means "try the whole batch again" (e.g. the database is down), so
 * nothing is committed and nothing is lost.
 */
export type BatchHandler<T> = (records: ConsumedRecord<T>[]) => Promise<RejectedRecord<T>[] | void>;

export interface BatchConsumerOptions<T> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  schema: ZodType<T, ZodTypeDef, unknown>;
  handle: BatchHandler<T>;
  /** Publishes dead letters; the DLQ of a topic is `<topic>.dlq`. */
  deadLetters: JsonProducer;
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Called with the lag of every batch's partition, for metrics. */
  onLag?: (topic: string, partition: number, lag: number) => void;
  partitionsConsumedConcurrently?: number;
  /** The largest slice of a fetched batch handed to `handle` at once. */
  maxRecordsPerCall?: number;
  /**
   * A cheap look at each decoded JSON value before schema validation: a record it
   * refuses is of no interest to this consumer and is skipped (not validated, not
   * dead-lettered). Records that are not JSON still go to the DLQ.
   */
  wants?: (value: unknown) => boolean;
  fromBeginning?: boolean;
}

/** A running consumer group member; `stop` finishes the batch in hand and commits. */
export interface RunningConsumer {
  stop(): Promise<void>;
  consumer: Consumer;
}

/** Starts a consumer that decodes JSON, validates, handles in batches and dead-letters poison. */
export async function startBatchConsumer<T>(options: BatchConsumerOptions<T>): Promise<RunningConsumer> {
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 100,
    retry: { initialRetryTime: 300, retries: 10 },
  });
  await consumer.connect();
  // Topics another service has just created may not be in the broker's metadata yet.
  await whileRetriable(() => consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true }));
  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
    eachBatch: (payload) => consumeBatch(payload, options),
  });
  return {
    consumer,
    stop: () => consumer.disconnect(),
  };
}

async function consumeBatch<T>(payload: EachBatchPayload, options: BatchConsumerOptions<T>): Promise<void> {
  const { batch } = payload;
  const sliceSize = options.maxRecordsPerCall ?? 500;
  for (let start = 0; start < batch.messages.length; start += sliceSize) {
    if (!payload.isRunning() || payload.isStale()) return;
    const slice = batch.messages.slice(start, start + sliceSize);
    const { valid, rejected } = decode(slice, batch.topic, batch.partition, options);
    const handlerRejected = valid.length > 0 ? ((await options.handle(valid)) ?? []) : [];
    await deadLetter(options, batch.topic, [...rejected, ...handlerRejected.map(fromRejected)]);
    const last = slice[slice.length - 1];
    if (last) payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
  }
  options.onLag?.(batch.topic, batch.partition, Number(batch.offsetLag()));
}

interface DeadLetter {
  message: Pick<KafkaMessage, 'key' | 'value' | 'offset'>;
  partition: number;
  error: PoisonRecordError;
}

function decode<T>(messages: KafkaMessage[], topic: string, partition: number, { schema, wants }: BatchConsumerOptions<T>) {
  const valid: ConsumedRecord<T>[] = [];
  const rejected: DeadLetter[] = [];
  for (const message of messages) {
    const parsed = parseJson(message.value);
    if (!parsed.ok) {
      rejected.push({ message, partition, error: new PoisonRecordError(parsed.error, 'invalid_json') });
      continue;
    }
    if (wants && !wants(parsed.value)) continue;
    const result = schema.safeParse(parsed.value);
    if (!result.success) {
      const detail = issuesFromZod(result.error.issues)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ');
      rejected.push({ message, partition, error: new PoisonRecordError(`schema violation: ${detail}`, 'invalid_schema') });
      continue;
    }
    valid.push({
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: result.data,
      timestamp: message.timestamp,
    });
  }
  return { valid, rejected };
}

function parseJson(value: Buffer | null): { ok: true; value: unknown } | { ok: false; error: string } {
  if (value === null) return { ok: false, error: 'empty record value' };
  try {
    return { ok: true, value: JSON.parse(value.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
}

function fromRejected<T>(rejected: RejectedRecord<T>): DeadLetter {
  const { record } = rejected;
  return {
    partition: record.partition,
    error: rejected.error,
    message: {
      key: record.key === null ? null : Buffer.from(record.key),
      value: Buffer.from(JSON.stringify(record.value)),
      offset: record.offset,
    },
  };
}

async function deadLetter<T>(options: BatchConsumerOptions<T>, topic: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  for (const letter of letters) {
    options.logger.warn(
      { topic, partition: letter.partition, offset: letter.message.offset, error: letter.error.message },
      'record sent to the dead-letter topic',
    );
  }
  await options.deadLetters.publishRaw(
    `${topic}.dlq`,
    letters.map((letter) => ({
      key: letter.message.key ?? null,
      value: letter.message.value ?? null,
      headers: {
        [DLQ_HEADERS.error]: letter.error.message,
        [DLQ_HEADERS.errorKind]: letter.error.kind,
        [DLQ_HEADERS.sourceTopic]: topic,
        [DLQ_HEADERS.sourcePartition]: String(letter.partition),
        [DLQ_HEADERS.sourceOffset]: letter.message.offset,
        [DLQ_HEADERS.failedAt]: new Date().toISOString(),
      },
    })),
  );
}
