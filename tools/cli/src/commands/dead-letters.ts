import { InvalidArgumentError } from 'commander';
import { DLQ_HEADERS } from '@nudge/contracts';
import type { DeadLetter } from '@nudge/kafka';

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

/** A non-negative whole number from the command line; otherwise commander reports the option as invalid. */
export function parseCount(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`${option} must be a whole number ≥ 0.`);
  return Number(text.trim());
}
