import type { DateTime } from 'luxon';
import { isTimeOfDay } from './time-of-day';
import { atWallTime, formatWallTime, wallClockAt } from './wall-clock';
import { weekdayName, weekdayOf, type Weekday } from './weekday';

/**
 * A campaign's sending window in local time. `start < end` is a same-day window [start, end);
 * `start > end` spans midnight (22:00–06:00 runs from 22:00 to 06:00 the next day). `days`, when
 * given, names the days the window OPENS on.
 */
export interface TimeWindow {
  start: string;
  end: string;
  days?: readonly Weekday[];
}

export type WindowVerdict = { inside: true } | { inside: false; nextOpening: Date; reason: string };

/** One opening of a window: [opens, closes). */
interface Opening {
  opens: DateTime;
  closes: DateTime;
}

/** Whether `instant` falls inside `window` on the wall clock of `zone`; if not, when it next opens and why. */
export function windowVerdict(instant: Date, window: TimeWindow, zone: string): WindowVerdict {
  assertWindow(window);
  const local = wallClockAt(instant, zone);
  const today = local.startOf('day');
  // The opening that could hold `instant` began today or, across midnight, yesterday.
  const current = [today.minus({ days: 1 }), today]
    .map((day) => openingOn(day, window))
    .find((opening) => opening !== undefined && opening.opens <= local && local < opening.closes);
  if (current) return { inside: true };

  const nextOpening = nextOpeningAfter(local, window);
  return { inside: false, nextOpening: nextOpening.toJSDate(), reason: outsideReason(local, window, zone, nextOpening) };
}

/** The window's opening on a local date, if it opens that day at all. */
function openingOn(day: DateTime, window: TimeWindow): Opening | undefined {
  if (window.days && !window.days.includes(weekdayOf(day))) return undefined;
  const opens = atWallTime(day, window.start);
  const closes = atWallTime(window.start < window.end ? day : day.plus({ days: 1 }), window.end);
  // A DST gap can push a short window's start past its end: that day it does not open.
  return opens < closes ? { opens, closes } : undefined;
}

function nextOpeningAfter(local: DateTime, window: TimeWindow): DateTime {
  const today = local.startOf('day');
  // Eight days always reach the next allowed weekday, whatever today is.
  for (let offset = 0; offset <= 7; offset++) {
    const opening = openingOn(today.plus({ days: offset }), window);
    if (opening && opening.opens > local) return opening.opens;
  }
  throw new Error(`the ${describeWindow(window)} window never opens`);
}

function outsideReason(local: DateTime, window: TimeWindow, zone: string, nextOpening: DateTime): string {
  const now = window.days ? `${weekdayName(weekdayOf(local))} ${formatWallTime(local)}` : formatWallTime(local);
  return `outside the ${describeWindow(window)} window in ${zone} (it is ${now} there); next opening ${nextOpening.toJSDate().toISOString()}`;
}

function describeWindow(window: TimeWindow): string {
  const hours = `${window.start}–${window.end}`;
  return window.days ? `${hours} ${window.days.join('/')}` : hours;
}

function assertWindow(window: TimeWindow): void {
  if (!isTimeOfDay(window.start) || !isTimeOfDay(window.end)) {
    throw new Error(`a time window needs start and end as "HH:MM", got ${JSON.stringify(window.start)}–${JSON.stringify(window.end)}`);
  }
  if (window.start === window.end) throw new Error(`a time window cannot start and end at ${window.start}`);
  if (window.days?.length === 0) throw new Error('a time window restricted to days must name at least one day');
}
