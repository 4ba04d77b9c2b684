import { DateTime } from 'luxon';
import { isTimeOfDay } from './time-of-day';

/** A local time of day: "HH:MM", or "24:00" for the midnight that ends a day. */
export type WallTime = string;

/** True for "HH:MM" 00:00–23:59 or "24:00" (only meaningful as the end of a span of hours). */
export function isEndOfSpan(text: unknown): text is WallTime {
  return text === '24:00' || isTimeOfDay(text);
}

/** The recipient's wall clock at `instant`; throws when `zone` is not an IANA zone. */
export function wallClockAt(instant: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid)
    throw new Error(`"${zone}" is not an IANA time zone (${local.invalidExplanation ?? local.invalidReason ?? 'invalid'})`);
  return local;
}

/**
 * The instant the wall clock of `day`'s zone reads `time` on `day`'s local date.
 * A time skipped by a spring-forward gap (02:30) moves forward by the gap's length (03:30); a time
 * that happens twice when clocks fall back is the later one. Both are luxon's rules.
 */
export function atWallTime(day: DateTime, time: WallTime): DateTime {
  if (time === '24:00') return atWallTime(day.plus({ days: 1 }), '00:00');
  const [hour, minute] = time.split(':').map(Number);
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: day.zone });
}

/** "22:14": the wall-clock time reasons quote. */
export function formatWallTime(local: DateTime): string {
  return local.toFormat('HH:mm');
}

/**
 * The first instant after `instant` at which the wall clock of `zone` reads `time` ("10:00"):
 * later today if that is still ahead, else tomorrow. DST gaps and repeats follow atWallTime.
 */
export function nextWallTime(instant: Date, time: string, zone: string): Date {
  const local = wallClockAt(instant, zone);
  const today = atWallTime(local, time);
  const next = today.toMillis() > instant.getTime() ? today : atWallTime(local.plus({ days: 1 }), time);
  return next.toJSDate();
}
