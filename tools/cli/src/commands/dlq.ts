import {
  createKafka,
  JsonProducer,
  markReplayedUpTo,
  planReplay,
  readDeadLetters,
  replayedUpTo,
  republish,
  resolveDlqTopics,
  type DeadLetter,
  type DlqTopics,
} from '@nudge/kafka';
import type { Admin, Kafka } from 'kafkajs';
import { describeLetter } from './dead-letters';

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
        await republish(producer, topics.dlq, letters);
      } finally {
        await producer.disconnect();
      }
      await markReplayedUpTo(admin, topics.dlq, letters);
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

/** Reads the letters of `dlq` from `startOf(partition)` to the end as it is now, at most `limit` in all (oldest first). */
function readLetters(
  kafka: Kafka,
  admin: Admin,
  dlq: string,
  startOf: (partition: number) => number,
  limit: number,
): Promise<DeadLetter[]> {
  return readDeadLetters(kafka, admin, dlq, { startOf, limit }, { timeoutMs: READ_TIMEOUT_MS, groupPrefix: 'nudge-cli-dlq' });
}
