import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, issuesFromZod } from '@nudge/contracts';
import type { ZodType, ZodTypeDef } from 'zod';
import type { JsonProducer } from './json-producer';
import {
  doublingBackoff,
  handleIsolatingFailures,
  isInfrastructureError,
  type FailedRecord,
  type IsolationPolicy,
} from './isolate-failures';
import { whileRetriable } from './topics';

/** A record that decoded and passed its schema. */
export interface ConsumedRecord<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  timestamp: string;
  /** The record's headers as they came (a producer's W3C `traceparent`, for one). */
  headers?: IHeaders;
}

/** Where a record sits and when Kafka stamped it (epoch milliseconds as text). */
export interface RecordOrigin {
  topic: string;
  partition: number;
  offset: string;
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
 * Handles one slice of valid records. Records it cannot process are returned and go to the
 * DLQ. Throwing means "not now": the slice is tried again with backoff and, if it keeps
 * throwing for reasons other than infrastructure (`isInfrastructureError`), split until the
 * records that throw on their own are found; those go to the DLQ. So one call's effects must
 * be all-or-nothing (one transaction) and handling a record again must be harmless.
 * `call.alone` is true on those retries: handle these records by themselves, not grouped
 * with other callers' (a `coalescing` flush), whose records could carry the failure.
 */
export type BatchHandler<T> = (records: ConsumedRecord<T>[], call: HandlerCall) => Promise<RejectedRecord<T>[] | void>;

export interface HandlerCall {
  alone: boolean;
}

export interface BatchConsumerOptions<T> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  schema: ZodType<T, ZodTypeDef, unknown>;
  handle: BatchHandler<T>;
  /** Publishes dead letters; the DLQ of a topic is `<topic>.dlq`. */
  deadLetters: JsonProducer;
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Called with a partition's lag each time its committed position advances, for metrics and health. */
  onLag?: (topic: string, partition: number, lag: number) => void;
  /** Called when a batch arrives with the records not yet handled on its partition (lag > 0 until it advances). */
  onFetched?: (topic: string, partition: number, lag: number) => void;
  /** Called when the group (re)assigns partitions: those of `assignment` (topic → partitions) are this member's. */
  onAssigned?: (assignment: Record<string, number[]>) => void;
  /** Called for every record sent to the DLQ, with its kind (invalid_json, invalid_schema, handler_failed, …). */
  onDeadLetter?: (topic: string, kind: string) => void;
  /** How failing slices are retried and split; the consumers' defaults otherwise (tests shorten the pauses). */
  isolation?: Partial<Pick<IsolationPolicy, 'tries' | 'backoffMs' | 'isInfrastructure'>>;
  partitionsConsumedConcurrently?: number;
  /** The largest slice of a fetched batch handed to `handle` at once. */
  maxRecordsPerCall?: number;
  /**
   * A cheap look at each decoded JSON value before schema validation: a record it
   * refuses is of no interest to this consumer and is skipped (not validated, not
   * dead-lettered). Records that are not JSON still go to the DLQ.
   */
  wants?: (value: unknown) => boolean;
  /**
   * A look at each record's headers before it is even decoded (JSON.parse is most of what a
   * skipped record costs): a record it refuses is skipped like one `wants` refuses, and is
   * not checked for being JSON either. Records it accepts go on to `wants`.
   */
  wantsHeaders?: (headers: IHeaders) => boolean;
  /**
   * Completes each wanted JSON value from its record before schema validation: what a producer
   * may leave out and the record itself says (rules fills an event's receivedAt from the Kafka
   * timestamp). Runs on every wanted record, so it must return a complete value cheaply.
   */
  complete?: (value: unknown, origin: RecordOrigin) => unknown;
  /**
   * Runs once for each fetched batch, before any of its records is decoded or judged by
   * `wants`/`wantsHeaders`: what those consult can be brought up to date with everything
   * committed before the batch's records were produced (rules' campaign catalog, which another
   * instance may have just changed). A failure is retried like an infrastructure error (backoff,
   * heartbeats) while the consumer runs; nothing of the batch is handled meanwhile.
   */
  beforeBatch?: () => Promise<void>;
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
  const onAssigned = options.onAssigned;
  if (onAssigned) consumer.on(consumer.events.GROUP_JOIN, (event) => onAssigned(event.payload.memberAssignment));
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
  if (batch.messages.length === 0) return;
  // The batch's records and any after them: none of them is handled yet.
  options.onFetched?.(batch.topic, batch.partition, Number(batch.highWatermark) - Number(batch.messages[0]?.offset ?? batch.highWatermark));
  const sliceSize = options.maxRecordsPerCall ?? 500;
  const policy = isolationPolicy(payload, options);
  if (options.beforeBatch && !(await untilDone(options.beforeBatch, policy, options.logger))) return;
  for (let start = 0; start < batch.messages.length; start += sliceSize) {
    if (!payload.isRunning() || payload.isStale()) return;
    const slice = batch.messages.slice(start, start + sliceSize);
    const { valid, rejected } = decode(slice, batch.topic, batch.partition, options);
    const handled = await handleIsolatingFailures(
      valid,
      async (records, alone) => {
        try {
          return (await options.handle(records, { alone })) ?? [];
        } finally {
          // Isolating a poisoned record takes many calls: stay in the group meanwhile.
          if (alone) await payload.heartbeat().catch(() => undefined);
        }
      },
      policy,
    );
    await deadLetter(options, batch.topic, [
      ...rejected,
      ...handled.results.map(fromRejected),
      ...handled.failed.map((f) => fromFailed(f, slice)),
    ]);
    const last = slice[slice.length - 1];
    if (last) payload.resolveOffset(last.offset);
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
    if (last) options.onLag?.(batch.topic, batch.partition, Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1));
  }
}

/** Runs `step` until it succeeds (true), pausing between tries, or the consumer stops (false). */
async function untilDone(
  step: () => Promise<void>,
  policy: IsolationPolicy,
  logger: BatchConsumerOptions<unknown>['logger'],
): Promise<boolean> {
  for (let retry = 1; ; retry++) {
    try {
      await step();
      return true;
    } catch (error) {
      if (!policy.keepGoing()) return false;
      logger.warn({ err: error, retry }, 'preparing a fetched batch failed; trying again');
      await policy.sleep(policy.backoffMs(retry));
    }
  }
}

/** Retries of a failing slice: 3 tries, 0.5 s doubling to 4 s, heartbeating while it waits. */
function isolationPolicy<T>(payload: EachBatchPayload, options: BatchConsumerOptions<T>): IsolationPolicy {
  return {
    tries: options.isolation?.tries ?? 3,
    backoffMs: options.isolation?.backoffMs ?? doublingBackoff(),
    isInfrastructure: options.isolation?.isInfrastructure ?? isInfrastructureError,
    keepGoing: () => payload.isRunning() && !payload.isStale(),
    sleep: async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      await payload.heartbeat().catch(() => undefined);
    },
  };
}

interface DeadLetter {
  message: Pick<KafkaMessage, 'key' | 'value' | 'offset' | 'headers'>;
  partition: number;
  error: PoisonRecordError;
}

function decode<T>(
  messages: KafkaMessage[],
  topic: string,
  partition: number,
  { schema, wants, wantsHeaders, complete }: BatchConsumerOptions<T>,
) {
  const valid: ConsumedRecord<T>[] = [];
  const rejected: DeadLetter[] = [];
  for (const message of messages) {
    if (wantsHeaders && !wantsHeaders(message.headers ?? {})) continue;
    const parsed = parseJson(message.value);
    if (!parsed.ok) {
      rejected.push({ message, partition, error: new PoisonRecordError(parsed.error, 'invalid_json') });
      continue;
    }
    if (wants && !wants(parsed.value)) continue;
    const value = complete
      ? complete(parsed.value, { topic, partition, offset: message.offset, timestamp: message.timestamp })
      : parsed.value;
    const result = schema.safeParse(value);
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
      headers: message.headers,
    });
  }
  return { valid, rejected };
}

/** A header's value as text (kafkajs gives a consumer Buffers), the first when repeated; undefined when absent. */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
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
      headers: record.headers,
    },
  };
}

/** The longest error text a dead letter carries in its header. */
const MAX_ERROR_CHARS = 1_000;

/** A record whose handling threw on its own, dead-lettered with its original bytes. */
function fromFailed<T>({ record, error }: FailedRecord<ConsumedRecord<T>>, slice: KafkaMessage[]): DeadLetter {
  const text = error instanceof Error ? error.message : String(error);
  const poison = new PoisonRecordError(`handler failed: ${text}`.slice(0, MAX_ERROR_CHARS), 'handler_failed');
  const original = slice.find((message) => message.offset === record.offset);
  return original ? { partition: record.partition, error: poison, message: original } : fromRejected({ record, error: poison });
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
      // The record's own headers go with it (a CloudEvent's attributes, a traceparent), so a
      // dead letter can be produced again as it was; the DLQ's headers say what went wrong.
      headers: {
        ...letter.message.headers,
        [DLQ_HEADERS.error]: letter.error.message,
        [DLQ_HEADERS.errorKind]: letter.error.kind,
        [DLQ_HEADERS.sourceTopic]: topic,
        [DLQ_HEADERS.sourcePartition]: String(letter.partition),
        [DLQ_HEADERS.sourceOffset]: letter.message.offset,
        [DLQ_HEADERS.failedAt]: new Date().toISOString(),
      },
    })),
  );
  for (const letter of letters) options.onDeadLetter?.(topic, letter.error.kind);
}
