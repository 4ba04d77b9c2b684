import { z } from 'zod';

/** Longest id (`userId`, `eventId`, campaign and step ids, preference topic names), in characters. */
export const MAX_ID_LENGTH = 256;
/** Longest event name, in characters. */
export const MAX_EVENT_NAME_LENGTH = 128;

/**
 * Characters no id, name or address may hold, wherever it came from:
 * - C0 and C1 controls (U+0000–U+001F, U+007F–U+009F): NUL, TAB, CR, LF, ESC, DEL… They
 *   break log lines and terminals, and Postgres refuses NUL in text outright.
 * - U+2028 and U+2029 (line and paragraph separators): line breaks to many readers.
 * - Bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): they
 *   reorder what is shown, so two ids could look the same and differ ("Trojan Source").
 * - U+FEFF (byte-order mark, zero-width no-break space): invisible, a classic copy-paste stowaway.
 * - Unpaired UTF-16 surrogates: not text at all; they do not survive the trip to UTF-8.
 * Everything else is allowed, letters of every script, emoji (with their U+200D joiners),
 * spaces and punctuation included: ids are opaque to Nudge.
 */
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uD800-\uDFFF]/u;

/** The first character of `text` an id or name may not hold, as `U+0000`, or null when there is none. */
export function forbiddenCharacterIn(text: string): string | null {
  const found = FORBIDDEN.exec(text);
  if (!found) return null;
  return `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A string holding none of `FORBIDDEN`. */
const PRINTABLE = new RegExp(`^[^${FORBIDDEN.source.slice(1, -1)}]*$`, 'u');
const PRINTABLE_MESSAGE = 'must not contain control, line-separator, bidi-control or unpaired surrogate characters';

/**
 * A short piece of printable text: refuses the characters listed at `FORBIDDEN` (before
 * trimming, so a trailing newline is refused, not trimmed away), then trims surrounding
 * spaces and asks for 1 to `max` characters (Unicode code points: an emoji counts once).
 * Only zod's string checks, no effects: ids are on every record of the hot paths.
 */
export function printableText(max: number) {
  return z
    .string()
    .regex(PRINTABLE, PRINTABLE_MESSAGE)
    .trim()
    .min(1, 'must not be empty')
    .regex(new RegExp(`^[\\s\\S]{0,${max}}$`, 'u'), `must be at most ${max} characters`);
}

/** An id: 1–256 printable characters (see `printableText`). */
export const idSchema = printableText(MAX_ID_LENGTH);

/** An event name: 1–128 printable characters, spaces inside allowed (`Order Completed`). */
export const eventNameSchema = printableText(MAX_EVENT_NAME_LENGTH);

/** Free text with no NUL (which Postgres cannot store) and at most `max` UTF-16 units: message bodies, subjects. */
export function textWithoutNul(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\u0000]*$/, 'must not contain NUL (U+0000)');
}
