import { DLQ_HEADERS, dlqTopic, TOPICS, topicName, type TopicKey } from '@nudge/contracts';

/** A record read from a dead-letter topic. */
export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** When the broker took it (ms since the epoch, as text); absent where the reader had none. */
  timestamp?: string;
}

/** The dead-letter topic to read and the topic its records came from. */
export interface DlqTopics {
  dlq: string;
  source: string;
}

/**
 * Resolves what a user names: a topic key (`events`), a topic name (`nudge.events.v1`) or its
 * DLQ (`nudge.events.v1.dlq`), with the stack's topic prefix added unless the name already
 * carries it (what `nudge dlq` and `GET /v1/dead-letters` take).
 */
export function resolveDlqTopics(name: string, prefix = ''): DlqTopics {
  const trimmed = name.trim();
  const base = trimmed.endsWith('.dlq') ? trimmed.slice(0, -'.dlq'.length) : trimmed;
  const source = base in TOPICS ? topicName(base as TopicKey, prefix) : base.startsWith(prefix) ? base : `${prefix}${base}`;
  return { dlq: dlqTopic(source), source };
}

/** The header a replayed record carries: the dead letter it came from. */
export const REPLAYED_FROM_HEADER = 'nudge-replayed-from';

/** A record to publish again, to the topic its dead letter names. */
export interface Replay {
  topic: string;
  letter: DeadLetter;
  record: { key: string | null; value: Buffer | null; headers: Record<string, string> };
}

/** The headers a dead-lettering adds (`nudge-error`, …): not part of the record it replays. */
const DEAD_LETTER_HEADERS: ReadonlySet<string> = new Set(Object.values(DLQ_HEADERS));

/**
 * What a replay does with each letter: republish it, as it was, to the topic in its source
 * header; a letter without one is skipped (it cannot be placed). The record's own headers go
 * with it (a CloudEvent's `ce_*` attributes, the event name), the DLQ's do not. Both
 * `nudge dlq replay` and `POST /v1/dead-letters/replay` replay through this.
 */
export function planReplay(dlq: string, letters: DeadLetter[]): { replays: Replay[]; skipped: DeadLetter[] } {
  const replays: Replay[] = [];
  const skipped: DeadLetter[] = [];
  for (const letter of letters) {
    const topic = letter.headers[DLQ_HEADERS.sourceTopic];
    if (!topic) {
      skipped.push(letter);
      continue;
    }
    replays.push({
      topic,
      letter,
      record: {
        key: letter.key,
        value: letter.value,
        headers: { ...ownHeaders(letter), [REPLAYED_FROM_HEADER]: `${dlq}[${letter.partition}]@${letter.offset}` },
      },
    });
  }
  return { replays, skipped };
}

/** A letter's own headers: those of the record that failed, without the ones dead-lettering added. */
export function ownHeaders(letter: Pick<DeadLetter, 'headers'>): Record<string, string> {
  return Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !DEAD_LETTER_HEADERS.has(name)));
}

/** The consumer group whose committed offsets remember how far `nudge dlq replay` has replayed a DLQ. */
export function replayGroup(dlq: string): string {
  return `nudge-dlq-replay.${dlq}`;
}

/** Per partition, the offset after the last letter (what the replay group commits). */
export function nextOffsets(letters: DeadLetter[]): Map<number, string> {
  const next = new Map<number, string>();
  for (const letter of letters) {
    const after = BigInt(letter.offset) + 1n;
    const current = next.get(letter.partition);
    if (current === undefined || after > BigInt(current)) next.set(letter.partition, after.toString());
  }
  return next;
}

/** Which offsets of one partition to read: from `start` (inclusive) to `end` (exclusive). */
export interface OffsetRange {
  start: number;
  end: number;
}

/**
 * The ranges to read, per partition, given where each partition's log is now (`low`, `high`),
 * where to start (`startOf`) and how many letters at most in all: each partition's range is
 * clipped to its log and to `limit` records.
 */
export function rangesToRead(
  logs: { partition: number; low: string; high: string }[],
  startOf: (partition: number) => number,
  limit: number,
): Map<number, OffsetRange> {
  const wanted = new Map<number, OffsetRange>();
  if (limit <= 0) return wanted;
  for (const p of logs) {
    const start = Math.max(Number(p.low), startOf(p.partition));
    const end = Math.min(Number(p.high), start + limit);
    if (start < end) wanted.set(p.partition, { start, end });
  }
  return wanted;
}

/** Letters in log order: by partition, then offset. */
export function inLogOrder(letters: DeadLetter[]): DeadLetter[] {
  return [...letters].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
