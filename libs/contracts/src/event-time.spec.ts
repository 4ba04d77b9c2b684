import { eventTimeProblem, fixedDurationMillis, maxEventAgeSetting, MAX_EVENT_FUTURE_MS } from './event-time';

const DAY = 24 * 60 * 60 * 1000;
const receivedAt = '2026-11-23T10:00:00.000Z';
const at = (offsetMs: number) => new Date(Date.parse(receivedAt) + offsetMs).toISOString();

describe('event timestamps', () => {
  it.each([
    ['at receipt', 0],
    ['exactly 30 days before receipt', -30 * DAY],
    ['exactly 1 day after receipt', MAX_EVENT_FUTURE_MS],
  ])('accepts one %s', (_case, offset) => {
    expect(eventTimeProblem(at(offset), receivedAt, 30 * DAY)).toBeNull();
  });

  it.each([
    ['a millisecond more than 30 days before receipt', -30 * DAY - 1, /30 days before/],
    ['a millisecond more than 1 day after receipt', DAY + 1, /1 day after/],
  ])('refuses one %s', (_case, offset, message) => {
    expect(eventTimeProblem(at(offset), receivedAt, 30 * DAY)).toMatch(message);
  });

  it('judges an old record by its own receipt time, so replays stay valid', () => {
    const oneYearAgo = '2025-11-23T10:00:00.000Z';
    expect(eventTimeProblem('2025-11-22T10:00:00.000Z', oneYearAgo, 30 * DAY)).toBeNull();
  });
});

describe('NUDGE_MAX_EVENT_AGE', () => {
  it.each([
    [undefined, 30 * DAY],
    ['P30D', 30 * DAY],
    ['P2W', 14 * DAY],
    ['PT12H', DAY / 2],
    ['P1DT1H30M', DAY + 90 * 60 * 1000],
    ['PT90.5S', 90_500],
  ])('reads %s', (text, ms) => {
    expect(maxEventAgeSetting.parse(text)).toBe(ms);
  });

  it.each(['30', 'P1M', 'P1Y', 'P', 'PT', 'PT0S', '-P1D', 'p30d'])('refuses %s', (text) => {
    expect(maxEventAgeSetting.safeParse(text).success).toBe(false);
  });

  it('reads durations of fixed length only', () => {
    expect(fixedDurationMillis('P1M')).toBeNull();
  });
});
