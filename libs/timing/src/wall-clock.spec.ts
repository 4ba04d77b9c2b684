import { DateTime } from 'luxon';
import { atWallTime, isEndOfSpan } from './wall-clock';

describe('a wall-clock time on a local date', () => {
  it.each([
    ['an ordinary morning', 'Europe/Madrid', '2026-11-24', '09:00', '2026-11-24T08:00:00.000Z'],
    ['09:00 on the spring-forward day is 09:00 summer time', 'Europe/Madrid', '2026-03-29', '09:00', '2026-03-29T07:00:00.000Z'],
    ['09:00 on the fall-back day is 09:00 winter time', 'Europe/Madrid', '2026-10-25', '09:00', '2026-10-25T08:00:00.000Z'],
    ['02:30 skipped by spring forward moves past the gap to 03:30', 'Europe/Madrid', '2026-03-29', '02:30', '2026-03-29T01:30:00.000Z'],
    ['02:30 skipped in New York moves to 03:30 EDT', 'America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z'],
    ['02:30 that happens twice at fall back is the later one', 'Europe/Madrid', '2026-10-25', '02:30', '2026-10-25T01:30:00.000Z'],
    ['01:30 that happens twice in New York is the later one (EST)', 'America/New_York', '2026-11-01', '01:30', '2026-11-01T06:30:00.000Z'],
    ['24:00 is the midnight that ends the day', 'Europe/Madrid', '2026-11-24', '24:00', '2026-11-24T23:00:00.000Z'],
  ])('%s', (_behaviour, zone, date, time, expected) => {
    const day = DateTime.fromISO(date, { zone });
    expect(atWallTime(day, time).toJSDate().toISOString()).toBe(expected);
  });

  it.each([
    ['00:00', true],
    ['23:59', true],
    ['24:00', true],
    ['24:01', false],
    ['25:00', false],
  ])('%s can end a span of hours: %s', (text, expected) => {
    expect(isEndOfSpan(text)).toBe(expected);
  });
});
