import { validationPathsOf } from '@nudge/testing';
import { funnelWindowOf, statsWindowOf } from './stats-window';

const now = new Date('2026-03-02T12:00:00.000Z');

describe('stats windows', () => {
  it('reads no window as all time, a duration as back from now, a date-time as itself', () => {
    expect(statsWindowOf({}, now)).toBeNull();
    expect(statsWindowOf({ since: 'P1D' }, now)).toEqual({ since: new Date('2026-03-01T12:00:00.000Z'), until: now });
    expect(statsWindowOf({ since: '2026-03-01T00:00:00+01:00', until: 'PT6H' }, now)).toEqual({
      since: new Date('2026-02-28T23:00:00.000Z'),
      until: new Date('2026-03-02T06:00:00.000Z'),
    });
    expect(statsWindowOf({ until: 'PT1H' }, now)).toEqual({ since: new Date(0), until: new Date('2026-03-02T11:00:00.000Z') });
  });

  it('gives the funnel the last 30 days by default, at most 366 days', () => {
    expect(funnelWindowOf({}, now)).toEqual({ since: new Date('2026-01-31T12:00:00.000Z'), until: now });
    expect(funnelWindowOf({ since: 'P366D' }, now).since).toEqual(new Date('2025-03-01T12:00:00.000Z'));
    expect(validationPathsOf(() => funnelWindowOf({ since: 'P367D' }, now))).toEqual(['query.since']);
  });

  it.each([
    [{ since: 'P1M' }, ['query.since']],
    [{ since: '2026-03-01' }, ['query.since']],
    [{ until: 'tomorrow' }, ['query.until']],
    [{ since: 'PT1H', until: 'PT2H' }, ['query.since']],
    [{ since: 'P1D', by: 'day' }, ['query.by']],
  ])('refuses %j naming %j', (query, paths) => {
    expect(validationPathsOf(() => statsWindowOf(query, now))).toEqual(paths);
  });
});
