import type { DateTime } from 'luxon';

/** Days of the week as campaigns and settings write them, Monday first (ISO-8601 order). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export type Weekday = (typeof WEEKDAYS)[number];

const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** True for `mon` … `sun`. */
export function isWeekday(text: unknown): text is Weekday {
  return typeof text === 'string' && (WEEKDAYS as readonly string[]).includes(text);
}

/** The local day of the week of a zoned luxon date-time. */
export function weekdayOf(local: DateTime): Weekday {
  const weekday = WEEKDAYS[local.weekday - 1];
  if (weekday === undefined) throw new Error(`${local.toISO() ?? 'an invalid date-time'} has no day of the week`);
  return weekday;
}

/** `Monday` for `mon`: how reasons name a day. */
export function weekdayName(weekday: Weekday): string {
  return WEEKDAY_NAMES[weekday];
}
