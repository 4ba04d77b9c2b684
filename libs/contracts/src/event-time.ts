import { z } from 'zod';

/** How far in the past an event's `timestamp` may be, unless `NUDGE_MAX_EVENT_AGE` says otherwise. */
export const DEFAULT_MAX_EVENT_AGE = 'P30D';
/** How far ahead of its receipt an event's `timestamp` may be: clocks drift, not by a day. */
export const MAX_EVENT_FUTURE_MS = 24 * 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Weeks, days, hours, minutes, seconds: the units of fixed length. */
const FIXED_DURATION = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * `NUDGE_MAX_EVENT_AGE`: an ISO-8601 duration in weeks, days, hours, minutes and seconds
 * (`P30D`, `P1W`, `PT12H`), as milliseconds. Months and years are refused: an age limit
 * must not depend on the calendar.
 */
export const maxEventAgeSetting = z
  .string()
  .trim()
  .default(DEFAULT_MAX_EVENT_AGE)
  .transform((text, ctx) => {
    const ms = fixedDurationMillis(text);
    if (ms === null || ms <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an ISO-8601 duration longer than zero in weeks, days, hours, minutes or seconds, such as P30D',
      });
      return z.NEVER;
    }
    return ms;
  });

/** The milliseconds of a duration such as `P30D` or `PT1H30M`, or null when it is not one. */
export function fixedDurationMillis(text: string): number | null {
  const match = FIXED_DURATION.exec(text);
  if (!match) return null;
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (((weeks! * 7 + days!) * 24 + hours!) * 60 + minutes!) * 60_000 + seconds! * 1000;
}

/**
 * Why `timestamp` is out of range for an event received at `receivedAt`, or null when it
 * is in range: no more than `maxAgeMs` before it, no more than a day after it. At ingest
 * `receivedAt` is the receipt time; a consumer uses the envelope's own `receivedAt`, so a
 * replay of old records judges each by the time it was first received, as ingest did.
 */
export function eventTimeProblem(timestamp: string, receivedAt: string, maxAgeMs: number): string | null {
  const at = Date.parse(timestamp);
  const received = Date.parse(receivedAt);
  if (at < received - maxAgeMs) return `must not be more than ${describe(maxAgeMs)} before the event was received (${receivedAt})`;
  if (at > received + MAX_EVENT_FUTURE_MS) return `must not be more than 1 day after the event was received (${receivedAt})`;
  return null;
}

function describe(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} days`;
  return `${ms / 1000} seconds`;
}
