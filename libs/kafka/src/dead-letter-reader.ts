import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import {
  inLogOrder,
  nextOffsets,
  planReplay,
  rangesToRead,
  replayGroup,
  type DeadLetter,
  type OffsetRange,
  type Replay,
} from './dead-letters';
import type { JsonProducer } from './json-producer';

/** A bounded read that did not finish in its time. */
export class ReadTimeoutError extends Error {
  constructor(topic: string, timeoutMs: number) {
    super(`could not read ${topic} within ${timeoutMs / 1000} s`);
    this.name = 'ReadTimeoutError';
  }
}

/**
 * Reads exactly the given offset ranges of `topic` (per partition, end exclusive) with a
 * throwaway consumer group, deleted afterwards, and gives up after `timeoutMs`. Reading stops
 * at the end of each range, so what is read is bounded by the ranges, whatever the topic holds.
 */
export async function readRanges(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  wanted: ReadonlyMap<number, OffsetRange>,
  options: { timeoutMs: number; groupPrefix: string },
): Promise<DeadLetter[]> {
  if (wanted.size === 0) return [];
  const groupId = `${options.groupPrefix}-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const letters: DeadLetter[] = [];
  const done = new Set<number>();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = wanted.get(partition);
        const offset = Number(message.offset);
        if (!range || done.has(partition) || offset < range.start) return;
        if (offset < range.end) {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
          letters.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value,
            headers,
            timestamp: message.timestamp,
          });
        }
        if (offset >= range.end - 1) done.add(partition);
        if (done.size === wanted.size) finish();
      },
    });
    for (const [partition, { start }] of wanted) consumer.seek({ topic, partition, offset: String(start) });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new ReadTimeoutError(topic, options.timeoutMs)), options.timeoutMs);
    });
    await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return inLogOrder(letters);
}

/**
 * Reads the letters of `dlq` from `startOf(partition)` to the end as it is now, at most `limit`
 * in all (oldest first).
 */
export async function readDeadLetters(
  kafka: Kafka,
  admin: Admin,
  dlq: string,
  page: { startOf: (partition: number) => number; limit: number },
  options: { timeoutMs: number; groupPrefix: string },
): Promise<DeadLetter[]> {
  const wanted = rangesToRead(await admin.fetchTopicOffsets(dlq), page.startOf, page.limit);
  return (await readRanges(kafka, admin, dlq, wanted, options)).slice(0, page.limit);
}

/** Per partition, the offset `nudge dlq replay` last stopped at (absent: never replayed that way). */
export async function replayedUpTo(admin: Admin, dlq: string): Promise<Map<number, string>> {
  const [committed] = await admin.fetchOffsets({ groupId: replayGroup(dlq), topics: [dlq] });
  const upTo = new Map<number, string>();
  for (const p of committed?.partitions ?? []) if (Number(p.offset) >= 0) upTo.set(p.partition, p.offset);
  return upTo;
}

/**
 * Publishes the letters again, unchanged, each to the topic it came from (`planReplay`), and
 * answers what was replayed and what was skipped (no source header). Nothing is remembered
 * here: the caller records it (the CLI's replay group, the API's table).
 */
export async function republish(
  producer: JsonProducer,
  dlq: string,
  letters: DeadLetter[],
): Promise<{ replays: Replay[]; skipped: DeadLetter[] }> {
  const plan = planReplay(dlq, letters);
  for (const topic of new Set(plan.replays.map((r) => r.topic))) {
    await producer.publishRaw(
      topic,
      plan.replays.filter((r) => r.topic === topic).map((r) => r.record),
    );
  }
  return plan;
}

/** Moves `nudge dlq replay`'s group past these letters: the next CLI replay starts after them. */
export async function markReplayedUpTo(admin: Admin, dlq: string, letters: DeadLetter[]): Promise<void> {
  const next = nextOffsets(letters);
  if (next.size === 0) return;
  await admin.setOffsets({
    groupId: replayGroup(dlq),
    topic: dlq,
    partitions: [...next].map(([partition, offset]) => ({ partition, offset })),
  });
}
