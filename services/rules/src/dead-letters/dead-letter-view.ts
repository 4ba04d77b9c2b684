import { DLQ_HEADERS } from '@nudge/contracts';
import { ownHeaders, type DeadLetter } from '@nudge/kafka';

/** How many characters of a letter's value the list answers; the rest is cut (and said so). */
export const VALUE_CHARS_SHOWN = 4_096;

/** How a letter was replayed: through the API (recorded per letter), or by `nudge dlq replay` (the CLI's replay group is past it). */
export type ReplayMark = { by: 'api'; at: string; to: string; times: number } | { by: 'cli' };

/** A dead letter as `GET /v1/dead-letters` answers it. */
export interface DeadLetterView {
  partition: number;
  offset: string;
  key: string | null;
  /** When the DLQ took it. */
  timestamp: string | null;
  /** `nudge-error`: why it failed (a validation error names the field). */
  error: string | null;
  /** `nudge-error-kind`: `invalid_record`, `handler_failed`, … */
  errorKind: string | null;
  failedAt: string | null;
  /** Where it came from (the source headers), null when the letter does not say. */
  source: { topic: string; partition: number | null; offset: string | null } | null;
  /** The record's own headers (a CloudEvent's `ce_*`, the event name), not the DLQ's. */
  headers: Record<string, string>;
  /** The value as UTF-8 text, at most VALUE_CHARS_SHOWN characters. */
  value: string | null;
  valueBytes: number;
  valueTruncated: boolean;
  replayed: ReplayMark | null;
}

/** A letter for the API: its DLQ headers read out, its value cut to `maxChars`. */
export function deadLetterView(letter: DeadLetter, replayed: ReplayMark | null, maxChars = VALUE_CHARS_SHOWN): DeadLetterView {
  const h = letter.headers;
  const text = letter.value?.toString('utf8') ?? null;
  // Cut on code points, never inside a surrogate pair; a text this short has no more than maxChars of them.
  const shown = text === null || text.length <= maxChars ? text : Array.from(text).slice(0, maxChars).join('');
  const sourceTopic = h[DLQ_HEADERS.sourceTopic];
  const sourcePartition = h[DLQ_HEADERS.sourcePartition];
  return {
    partition: letter.partition,
    offset: letter.offset,
    key: letter.key,
    timestamp: letter.timestamp && /^\d+$/.test(letter.timestamp) ? new Date(Number(letter.timestamp)).toISOString() : null,
    error: h[DLQ_HEADERS.error] ?? null,
    errorKind: h[DLQ_HEADERS.errorKind] ?? null,
    failedAt: h[DLQ_HEADERS.failedAt] ?? null,
    source: sourceTopic
      ? {
          topic: sourceTopic,
          partition: sourcePartition && /^\d+$/.test(sourcePartition) ? Number(sourcePartition) : null,
          offset: h[DLQ_HEADERS.sourceOffset] ?? null,
        }
      : null,
    headers: ownHeaders(letter),
    value: shown,
    valueBytes: letter.value?.length ?? 0,
    valueTruncated: shown !== text,
    replayed,
  };
}
