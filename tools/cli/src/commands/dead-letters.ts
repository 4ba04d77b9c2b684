import { InvalidArgumentError } from 'commander';
import { DLQ_HEADERS, dlqTopic, TOPICS, topicName, type TopicKey } from '@nudge/contracts';

/** A record read from a dead-letter topic. */
export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** The dead-letter topic to read and the topic its records came from. */
export interface DlqTopics {
  dlq: string;
  source: string;
}

/**
 * Resolves what a user names on the command line: a topic key (`events`), a topic name
 * (`nudge.events.v1`) or its DLQ (`nudge.events.v1.dlq`), with the stack's topic prefix
 * added unless the name already carries it.
 */
export function resolveDlqTopics(name: string, prefix = ''): DlqTopics {
  const trimmed = name.trim();
  const base = trimmed.endsWith('.dlq') ? trimmed.slice(0, -'.dlq'.length) : trimmed;
  const source = base in TOPICS ? topicName(base as TopicKey, prefix) : base.startsWith(prefix) ? base : `${prefix}${base}`;
  return { dlq: dlqTopic(source), source };
}

/** How many characters of a value `list` shows. */
export const VALUE_EXCERPT_CHARS = 160;

/** A value shortened for a terminal: one line, control characters escaped, at most `max` characters. */
export function excerpt(value: Buffer | null, max = VALUE_EXCERPT_CHARS): string {
  if (value === null) return '(empty)';
  const text = value.toString('utf8').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length <= max ? text : `${text.slice(0, max)}… (${value.length} bytes)`;
}

/** The lines `nudge dlq list` prints for one dead letter. */
export function describeLetter(letter: DeadLetter): string[] {
  const h = letter.headers;
  const source = h[DLQ_HEADERS.sourceTopic]
    ? `${h[DLQ_HEADERS.sourceTopic]}[${h[DLQ_HEADERS.sourcePartition] ?? '?'}]@${h[DLQ_HEADERS.sourceOffset] ?? '?'}`
    : '(unknown source)';
  return [
    `offset ${letter.offset} (partition ${letter.partition})  key ${letter.key ?? '(none)'}  from ${source}  at ${h[DLQ_HEADERS.failedAt] ?? '?'}`,
    `  ${h[DLQ_HEADERS.errorKind] ?? 'unknown'}: ${h[DLQ_HEADERS.error] ?? '(no error recorded)'}`,
    `  value: ${excerpt(letter.value)}`,
  ];
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
 * What `nudge dlq replay` does with each letter: republish it, as it was, to the topic in
 * its source header; a letter without one is skipped (it cannot be placed). The record's own
 * headers go with it (a CloudEvent's `ce_*` attributes, the event name), the DLQ's do not.
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

function ownHeaders(letter: DeadLetter): Record<string, string> {
  return Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !DEAD_LETTER_HEADERS.has(name)));
}

/** The consumer group whose committed offsets remember how far a DLQ has been replayed. */
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

/** A non-negative whole number from the command line; otherwise commander reports the option as invalid. */
export function parseCount(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`${option} must be a whole number ≥ 0.`);
  return Number(text.trim());
}
