import { addIsoDuration, durationToMillis, isIsoDuration, parseIsoDuration } from './iso-duration';

describe('ISO-8601 durations', () => {
  it.each([
    ['PT30M', 30 * 60_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT1H30M', 90 * 60_000],
    ['P2W', 14 * 86_400_000],
    ['PT1.5S', 1_500],
    ['PT0S', 0],
    ['P0D', 0],
  ])('%s is a duration of %d ms', (text, millis) => {
    expect(isIsoDuration(text)).toBe(true);
    expect(durationToMillis(text)).toBe(millis);
  });

  it.each([
    ['30M', 'is not an ISO-8601 duration'],
    ['PT', 'is not an ISO-8601 duration'],
    ['P', 'is not an ISO-8601 duration'],
    ['P1DT', 'is not an ISO-8601 duration'],
    ['pt30m', 'is not an ISO-8601 duration'],
    [' PT1M', 'is not an ISO-8601 duration'],
    ['P1.5M', 'is not an ISO-8601 duration'],
    ['PT0.5H', 'is not an ISO-8601 duration'],
    ['-PT5M', 'must not be negative'],
    ['PT-5M', 'must not be negative'],
    ['', 'is not an ISO-8601 duration'],
  ])('%j is rejected with a message that says it %s', (text, message) => {
    expect(isIsoDuration(text)).toBe(false);
    expect(() => parseIsoDuration(text)).toThrow(message);
  });

  it('a non-string is not a duration', () => {
    expect(isIsoDuration(30)).toBe(false);
    expect(isIsoDuration(undefined)).toBe(false);
  });

  it.each([
    ['2026-11-23T10:00:00Z', 'PT30M', '2026-11-23T10:30:00.000Z'],
    ['2026-01-31T10:00:00Z', 'P1M', '2026-02-28T10:00:00.000Z'],
    ['2028-01-31T10:00:00Z', 'P1M', '2028-02-29T10:00:00.000Z'],
    ['2026-03-28T12:00:00Z', 'P1D', '2026-03-29T12:00:00.000Z'],
    ['2026-12-31T23:00:00Z', 'PT2H', '2027-01-01T01:00:00.000Z'],
    ['2026-11-23T10:00:00Z', 'PT0S', '2026-11-23T10:00:00.000Z'],
  ])('%s plus %s is %s (calendar-aware, UTC)', (start, duration, expected) => {
    expect(addIsoDuration(new Date(start), duration).toISOString()).toBe(expected);
  });
});
