import { ManualClock, systemClock } from './clock';

describe('ManualClock', () => {
  it('starts at the instant it is given, as an ISO string or a Date', () => {
    expect(new ManualClock('2026-11-23T10:00:00Z').now().toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(new ManualClock(new Date('2026-11-23T10:00:00Z')).now().toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });

  it.each([
    ['PT30M', '2026-01-31T10:30:00.000Z'],
    ['P1M', '2026-02-28T10:00:00.000Z'],
    [1_000, '2026-01-31T10:00:01.000Z'],
  ])('advances by %j', (by, expected) => {
    const clock = new ManualClock('2026-01-31T10:00:00Z');
    clock.advance(by);
    expect(clock.now().toISOString()).toBe(expected);
  });

  it('jumps to the instant it is set to', () => {
    const clock = new ManualClock('2026-01-31T10:00:00Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('cannot be moved by mutating a date it returned', () => {
    const clock = new ManualClock('2026-01-31T10:00:00Z');
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-01-31T10:00:00.000Z');
  });

  it('rejects a start that is not a date-time', () => {
    expect(() => new ManualClock('yesterday')).toThrow('"yesterday" is not a valid date-time');
  });
});

describe('systemClock', () => {
  it('reads the wall clock', () => {
    expect(systemClock.now()).toBeInstanceOf(Date);
  });
});
