import { DateTime } from 'luxon';
import { atWallTime, isEndOfSpan, nextWallTime } from './wall-clock';

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

describe('nextWallTime', () => {
  it('is later today when the time is still ahead in the zone', () => {
    expect(nextWallTime(new Date('2026-11-24T08:30:00Z'), '10:00', 'Europe/Madrid').toISOString()).toBe('2026-11-24T09:00:00.000Z');
  });

  it('is tomorrow when the time has passed, or is now', () => {
    expect(nextWallTime(new Date('2026-11-24T09:00:00Z'), '10:00', 'Europe/Madrid').toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(nextWallTime(new Date('2026-11-24T15:00:00Z'), '10:00', 'America/New_York').toISOString()).toBe('2026-11-25T15:00:00.000Z');
  });

  it('follows the zone across a DST change', () => {
    // Clocks go forward in Madrid on 2026-03-29: 10:00 is 09:00Z the day before, 08:00Z on the day.
    expect(nextWallTime(new Date('2026-03-28T12:00:00Z'), '10:00', 'Europe/Madrid').toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });
});
