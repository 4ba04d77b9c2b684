import { randomBytes } from 'node:crypto';
import { createKafka, JsonProducer } from '@nudge/kafka';
import type { Admin, Kafka } from 'kafkajs';
import { describeLetter, nextOffsets, planReplay, replayGroup, resolveDlqTopics, type DeadLetter, type DlqTopics } from './dead-letters';

export interface DlqOptions {
  brokers: string;
  prefix: string;
  /** First DLQ offset to read (every partition); replay's default is where the last replay stopped. */
  fromOffset?: number;
  limit: number;
  /** replay only: show what would be replayed, publish nothing. */
  dryRun?: boolean;
}

/** How long reading a DLQ may take before the CLI gives up. */
const READ_TIMEOUT_MS = 30_000;

/** `nudge dlq list <topic>`: the dead letters of a topic, oldest first. */
export async function dlqListCommand(name: string, options: DlqOptions, out: (line: string) => void): Promise<number> {
  return withKafka(options, async (kafka, admin) => {
    const topics = resolveDlqTopics(name, options.prefix);
    if (!(await topicExists(admin, topics.dlq))) return noTopic(topics, out);
    const letters = await readLetters(kafka, admin, topics.dlq, () => options.fromOffset ?? 0, options.limit);
    for (const letter of letters) for (const line of describeLetter(letter)) out(line);
    const replayed = await replayedUpTo(admin, topics.dlq);
    const progress = replayed.size > 0 ? `; replayed before offset ${[...replayed.values()].join(', ')}` : '';
    out(`${letters.length} dead letter${letters.length === 1 ? '' : 's'} in ${topics.dlq}${range(letters)}${progress}`);
    return 0;
  });
}

/**
 * `nudge dlq replay <topic>`: publishes the dead letters again, unchanged, to the topic each
 * came from, and remembers (a consumer group's committed offset) how far it got, so running
 * it again replays only letters that arrived since; `--from-offset` replays from there again.
 */
export async function dlqReplayCommand(name: string, options: DlqOptions, out: (line: string) => void): Promise<number> {
  return withKafka(options, async (kafka, admin) => {
    const topics = resolveDlqTopics(name, options.prefix);
    if (!(await topicExists(admin, topics.dlq))) return noTopic(topics, out);
    const replayed = await replayedUpTo(admin, topics.dlq);
    const startOf = (partition: number) => options.fromOffset ?? Number(replayed.get(partition) ?? 0);
    const letters = await readLetters(kafka, admin, topics.dlq, startOf, options.limit);
    if (options.fromOffset === undefined && replayed.size > 0) {
      out(`letters before offset ${[...replayed.values()].join(', ')} were replayed already (--from-offset 0 replays them again)`);
    }
    const { replays, skipped } = planReplay(topics.dlq, letters);
    for (const letter of skipped) out(`skipped offset ${letter.offset}: no source topic header, cannot tell where it belongs`);
    const verb = options.dryRun ? 'would replay' : 'replayed';
    if (!options.dryRun && letters.length > 0) {
      const producer = new JsonProducer(kafka);
      await producer.connect();
      try {
        for (const topic of new Set(replays.map((r) => r.topic))) {
          await producer.publishRaw(
            topic,
            replays.filter((r) => r.topic === topic).map((r) => r.record),
          );
        }
      } finally {
        await producer.disconnect();
      }
      await admin.setOffsets({
        groupId: replayGroup(topics.dlq),
        topic: topics.dlq,
        partitions: [...nextOffsets(letters)].map(([partition, offset]) => ({ partition, offset })),
      });
    }
    for (const replay of replays) out(`${verb} offset ${replay.letter.offset} (key ${replay.letter.key ?? '(none)'}) to ${replay.topic}`);
    out(
      `${verb} ${replays.length} dead letter${replays.length === 1 ? '' : 's'} from ${topics.dlq}${range(letters)}, skipped ${skipped.length}`,
    );
    return 0;
  });
}

async function withKafka(options: DlqOptions, work: (kafka: Kafka, admin: Admin) => Promise<number>): Promise<number> {
  const brokers = options.brokers
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const kafka = createKafka({ brokers, clientId: 'nudge-cli', topicPrefix: options.prefix });
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(kafka, admin);
  } finally {
    await admin.disconnect();
  }
}

async function topicExists(admin: Admin, topic: string): Promise<boolean> {
  return (await admin.listTopics()).includes(topic);
}

function noTopic(topics: DlqTopics, out: (line: string) => void): number {
  out(`no dead-letter topic ${topics.dlq} on these brokers (is --prefix right?)`);
  return 1;
}

function range(letters: DeadLetter[]): string {
  if (letters.length === 0) return '';
  const offsets = letters.map((l) => BigInt(l.offset));
  const min = offsets.reduce((a, b) => (b < a ? b : a));
  const max = offsets.reduce((a, b) => (b > a ? b : a));
  return min === max ? ` (offset ${min})` : ` (offsets ${min}–${max})`;
}

/** Per partition, the offset the last replay stopped at (absent: never replayed). */
async function replayedUpTo(admin: Admin, dlq: string): Promise<Map<number, string>> {
  const [committed] = await admin.fetchOffsets({ groupId: replayGroup(dlq), topics: [dlq] });
  const upTo = new Map<number, string>();
  for (const p of committed?.partitions ?? []) if (Number(p.offset) >= 0) upTo.set(p.partition, p.offset);
  return upTo;
}

/**
 * Reads the letters of `dlq` from `startOf(partition)` to the end as it is now, at most
 * `limit` in all (oldest first), with a throwaway consumer group that is deleted afterwards.
 */
async function readLetters(
  kafka: Kafka,
  admin: Admin,
  dlq: string,
  startOf: (partition: number) => number,
  limit: number,
): Promise<DeadLetter[]> {
  const ends = await admin.fetchTopicOffsets(dlq);
  const wanted = new Map<number, { start: number; end: number }>();
  for (const p of ends) {
    const start = Math.max(Number(p.low), startOf(p.partition));
    const end = Math.min(Number(p.high), start + limit);
    if (start < end) wanted.set(p.partition, { start, end });
  }
  if (wanted.size === 0 || limit === 0) return [];
  const groupId = `nudge-cli-dlq-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const letters: DeadLetter[] = [];
  const done = new Set<number>();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const range = wanted.get(partition);
        const offset = Number(message.offset);
        if (!range || done.has(partition) || offset < range.start) return;
        if (offset < range.end) {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
          letters.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value, headers });
        }
        if (offset >= range.end - 1) done.add(partition);
        if (done.size === wanted.size) finish();
      },
    });
    for (const [partition, { start }] of wanted) consumer.seek({ topic: dlq, partition, offset: String(start) });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`could not read ${dlq} within ${READ_TIMEOUT_MS / 1000} s`)), READ_TIMEOUT_MS);
    });
    await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset))).slice(0, limit);
}
