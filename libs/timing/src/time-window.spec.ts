import { windowVerdict, type TimeWindow } from './time-window';

const DAYTIME: TimeWindow = { start: '09:00', end: '21:00' };
const OVERNIGHT: TimeWindow = { start: '22:00', end: '06:00' };

function nextOpening(instant: string, window: TimeWindow, zone: string): string | 'inside' {
  const verdict = windowVerdict(new Date(instant), window, zone);
  return verdict.inside ? 'inside' : verdict.nextOpening.toISOString();
}

describe('a same-day window 09:00–21:00', () => {
  it.each([
    ['is open at exactly its start', '2026-11-24T08:00:00Z', 'Europe/Madrid', 'inside'],
    ['is open a minute before its end', '2026-11-24T19:59:00Z', 'Europe/Madrid', 'inside'],
    ['is closed at exactly its end, until the next morning', '2026-11-24T20:00:00Z', 'Europe/Madrid', '2026-11-25T08:00:00.000Z'],
    ['is closed a minute before its start, until that start', '2026-11-24T07:59:00Z', 'Europe/Madrid', '2026-11-24T08:00:00.000Z'],
    [
      'is closed after midnight local while UTC is still on the day before',
      '2026-11-24T23:30:00Z',
      'Europe/Madrid',
      '2026-11-25T08:00:00.000Z',
    ],
    ['is read on the recipient’s wall clock, not UTC', '2026-11-24T14:30:00Z', 'America/New_York', 'inside'],
    ['is closed in New York when it is open in Madrid', '2026-11-24T12:00:00Z', 'America/New_York', '2026-11-24T14:00:00.000Z'],
    ['opens at 09:00 west of UTC on the next UTC day', '2026-11-25T06:00:00Z', 'America/Los_Angeles', '2026-11-25T17:00:00.000Z'],
  ])('%s', (_behaviour, instant, zone, expected) => {
    expect(nextOpening(instant, DAYTIME, zone)).toBe(expected);
  });
});

describe('a window opening on a day the clocks change opens at 09:00 local', () => {
  it.each([
    ['Madrid, spring forward (CEST, +2)', '2026-03-28T21:30:00Z', 'Europe/Madrid', '2026-03-29T07:00:00.000Z'],
    ['Madrid, fall back (CET, +1)', '2026-10-24T20:00:00Z', 'Europe/Madrid', '2026-10-25T08:00:00.000Z'],
    ['New York, spring forward (EDT, −4)', '2026-03-08T03:00:00Z', 'America/New_York', '2026-03-08T13:00:00.000Z'],
    ['New York, fall back (EST, −5)', '2026-11-01T02:00:00Z', 'America/New_York', '2026-11-01T14:00:00.000Z'],
    ['Madrid, early on the spring-forward day itself', '2026-03-29T05:00:00Z', 'Europe/Madrid', '2026-03-29T07:00:00.000Z'],
    ['New York, early on the fall-back day itself', '2026-11-01T07:00:00Z', 'America/New_York', '2026-11-01T14:00:00.000Z'],
  ])('%s', (_behaviour, instant, zone, expected) => {
    expect(nextOpening(instant, DAYTIME, zone)).toBe(expected);
  });

  it.each([
    ['Madrid, spring forward', '2026-03-29T07:00:00Z', 'Europe/Madrid'],
    ['Madrid, fall back', '2026-10-25T08:00:00Z', 'Europe/Madrid'],
    ['New York, spring forward', '2026-03-08T13:00:00Z', 'America/New_York'],
    ['New York, fall back', '2026-11-01T14:00:00Z', 'America/New_York'],
  ])('and is open from that instant: %s', (_behaviour, instant, zone) => {
    expect(nextOpening(instant, DAYTIME, zone)).toBe('inside');
  });

  it.each([
    ['Madrid, an hour before 09:00 summer time', '2026-03-29T06:00:00Z', 'Europe/Madrid', '2026-03-29T07:00:00.000Z'],
    ['New York, an hour before 09:00 winter time', '2026-11-01T13:00:00Z', 'America/New_York', '2026-11-01T14:00:00.000Z'],
  ])('and is still closed at the UTC instant 09:00 was the day before: %s', (_behaviour, instant, zone, expected) => {
    expect(nextOpening(instant, DAYTIME, zone)).toBe(expected);
  });
});

describe('an opening time skipped by spring forward moves to the first instant after the gap', () => {
  it.each([
    [
      'Madrid 02:30 opens at 03:30 CEST',
      { start: '02:30', end: '05:00' },
      '2026-03-28T23:00:00Z',
      'Europe/Madrid',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'New York 02:30 opens at 03:30 EDT',
      { start: '02:30', end: '04:00' },
      '2026-03-08T05:00:00Z',
      'America/New_York',
      '2026-03-08T07:30:00.000Z',
    ],
    ['and is open at that instant', { start: '02:30', end: '05:00' }, '2026-03-29T01:30:00Z', 'Europe/Madrid', 'inside'],
    ['but not before it', { start: '02:30', end: '05:00' }, '2026-03-29T01:29:00Z', 'Europe/Madrid', '2026-03-29T01:30:00.000Z'],
  ])('%s', (_behaviour, window, instant, zone, expected) => {
    expect(nextOpening(instant, window, zone)).toBe(expected);
  });

  it.each([
    [
      'a window entirely inside the gap moves forward by the gap (03:15 CEST)',
      { start: '02:15', end: '02:45' },
      '2026-03-29T01:15:00.000Z',
    ],
    ['a window whose start is pushed past its end does not open that day', { start: '02:30', end: '03:10' }, '2026-03-30T00:30:00.000Z'],
  ])('%s', (_behaviour, window, expected) => {
    expect(nextOpening('2026-03-28T23:00:00Z', window, 'Europe/Madrid')).toBe(expected);
  });
});

describe('a window across midnight 22:00–06:00', () => {
  it.each([
    ['is open at 23:00', '2026-11-24T22:00:00Z', 'Europe/Madrid', 'inside'],
    ['is open at exactly 22:00', '2026-11-24T21:00:00Z', 'Europe/Madrid', 'inside'],
    ['is open at 05:59 the next morning', '2026-11-25T04:59:00Z', 'Europe/Madrid', 'inside'],
    ['is closed at exactly 06:00, until 22:00 that evening', '2026-11-25T05:00:00Z', 'Europe/Madrid', '2026-11-25T21:00:00.000Z'],
    ['is closed at 21:59, until a minute later', '2026-11-25T20:59:00Z', 'Europe/Madrid', '2026-11-25T21:00:00.000Z'],
    ['reopens on the next UTC day west of UTC', '2026-11-25T14:00:00Z', 'America/Los_Angeles', '2026-11-26T06:00:00.000Z'],
    ['reopens on the previous UTC day far east of UTC', '2026-11-24T17:00:00Z', 'Pacific/Auckland', '2026-11-25T09:00:00.000Z'],
    ['is open in Auckland past local midnight', '2026-11-24T12:00:00Z', 'Pacific/Auckland', 'inside'],
    ['is open across the spring-forward night', '2026-03-29T03:30:00Z', 'Europe/Madrid', 'inside'],
    ['closes at 06:00 summer time after the spring-forward night', '2026-03-29T04:00:00Z', 'Europe/Madrid', '2026-03-29T20:00:00.000Z'],
  ])('%s', (_behaviour, instant, zone, expected) => {
    expect(nextOpening(instant, OVERNIGHT, zone)).toBe(expected);
  });
});

describe('a window restricted to days', () => {
  const weekdaysOnly: TimeWindow = { ...DAYTIME, days: ['mon', 'wed'] };
  const weekendNights: TimeWindow = { ...OVERNIGHT, days: ['fri', 'sat'] };

  it.each([
    ['is closed on a day it does not list, until the next listed day', weekdaysOnly, '2026-11-24T09:00:00Z', '2026-11-25T08:00:00.000Z'],
    ['is open on a listed day', weekdaysOnly, '2026-11-25T09:00:00Z', 'inside'],
    ['skips the weekend to the next Monday', weekdaysOnly, '2026-11-28T09:00:00Z', '2026-11-30T08:00:00.000Z'],
    ['after closing on a listed day waits for the next listed one', weekdaysOnly, '2026-11-25T20:00:00Z', '2026-11-30T08:00:00.000Z'],
    ['across midnight, is open on Saturday 05:00 (the Friday-night window)', weekendNights, '2026-11-28T04:00:00Z', 'inside'],
    ['across midnight, is open on Sunday 05:00 (the Saturday-night window)', weekendNights, '2026-11-29T04:00:00Z', 'inside'],
    [
      'across midnight, is closed on Monday 05:00 (Sunday opens no window)',
      weekendNights,
      '2026-11-30T04:00:00Z',
      '2026-12-04T21:00:00.000Z',
    ],
    ['across midnight, is closed on Thursday night', weekendNights, '2026-11-26T22:00:00Z', '2026-11-27T21:00:00.000Z'],
  ])('%s', (_behaviour, window, instant, expected) => {
    expect(nextOpening(instant, window, 'Europe/Madrid')).toBe(expected);
  });
});

describe('the reason for being outside', () => {
  it.each([
    [
      'names the window, zone, local time and next opening',
      DAYTIME,
      '2026-11-24T21:14:00Z',
      'outside the 09:00–21:00 window in Europe/Madrid (it is 22:14 there); next opening 2026-11-25T08:00:00.000Z',
    ],
    [
      'names the days and the local day when the window is restricted to days',
      { ...DAYTIME, days: ['mon', 'wed'] },
      '2026-11-24T09:00:00Z',
      'outside the 09:00–21:00 mon/wed window in Europe/Madrid (it is Tuesday 10:00 there); next opening 2026-11-25T08:00:00.000Z',
    ],
  ] as const)('%s', (_behaviour, window, instant, reason) => {
    expect(windowVerdict(new Date(instant), window, 'Europe/Madrid')).toEqual({ inside: false, nextOpening: expect.any(Date), reason });
  });
});

describe('a window that cannot be read', () => {
  it.each([
    ['a start that is not HH:MM', { start: '9:00', end: '21:00' }, 'Europe/Madrid', 'start and end as "HH:MM"'],
    ['an end of 24:00', { start: '09:00', end: '24:00' }, 'Europe/Madrid', 'start and end as "HH:MM"'],
    ['a start equal to its end', { start: '09:00', end: '09:00' }, 'Europe/Madrid', 'cannot start and end at 09:00'],
    ['an empty list of days', { ...DAYTIME, days: [] }, 'Europe/Madrid', 'at least one day'],
    ['a zone that is not IANA', DAYTIME, 'Mars/Olympus_Mons', '"Mars/Olympus_Mons" is not an IANA time zone'],
  ])('is refused: %s', (_behaviour, window, zone, message) => {
    expect(() => windowVerdict(new Date('2026-11-24T12:00:00Z'), window, zone)).toThrow(message);
  });
});
