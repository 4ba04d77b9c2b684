import { DateTime, Duration } from 'luxon';

/**
 * ISO-8601 durations as campaigns write them: `PT30M`, `P1D`, `P1DT12H`, `P2W`.
 * Stricter than luxon on purpose: no sign (a delay into the past means nothing), no empty
 * `P`/`PT`, no lowercase, and fractions only on seconds, because "half a month" added to an
 * instant has no single answer.
 */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

const EXAMPLES = 'such as PT30M, P1D or P1DT12H';

/** True when `text` is an ISO-8601 duration this project accepts (zero, e.g. `PT0S`, included). */
export function isIsoDuration(text: unknown): text is string {
  return typeof text === 'string' && ISO_DURATION.test(text) && Duration.fromISO(text).isValid;
}

/** Parses an ISO-8601 duration or throws an Error saying what is wrong with it. */
export function parseIsoDuration(text: string): Duration {
  if (typeof text !== 'string') throw new Error(`a duration must be an ISO-8601 string ${EXAMPLES}`);
  if (/^-?P/.test(text) && text.includes('-')) throw new Error(`"${text}" is negative; durations must not be negative`);
  if (!ISO_DURATION.test(text)) throw new Error(`"${text}" is not an ISO-8601 duration ${EXAMPLES}`);
  const duration = Duration.fromISO(text);
  if (!duration.isValid) throw new Error(`"${text}" is not an ISO-8601 duration ${EXAMPLES}: ${duration.invalidExplanation ?? ''}`);
  return duration;
}

/** `instant` plus the duration, calendar-aware in UTC: P1M from 31 January is 28/29 February. */
export function addIsoDuration(instant: Date, text: string): Date {
  return DateTime.fromJSDate(instant, { zone: 'utc' }).plus(parseIsoDuration(text)).toJSDate();
}

/**
 * The duration in milliseconds, for rolling windows and timeouts. Calendar units use fixed
 * lengths (a day is 24 h, a month 30 days, a year 365 days); use `addIsoDuration` when the
 * calendar matters.
 */
export function durationToMillis(text: string): number {
  return parseIsoDuration(text).toMillis();
}
