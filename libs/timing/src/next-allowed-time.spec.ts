import { parseCountryRule } from './country-rule';
import { nextAllowedTime, type SendConstraint } from './next-allowed-time';

const FR_RULES: SendConstraint = {
  kind: 'countryRule',
  country: 'FR',
  rule: parseCountryRule({ hours: { 'mon-sat': '08:00-20:00' }, sundays: false, holidays: false }),
};
const DAYTIME_WINDOW: SendConstraint = { kind: 'timeWindow', window: { start: '09:00', end: '21:00' } };
const NEW_YORK_WINDOW: SendConstraint = { kind: 'timeWindow', window: { start: '09:00', end: '21:00' }, zone: 'America/New_York' };
const SUNDAY_WINDOW: SendConstraint = { kind: 'timeWindow', window: { start: '09:00', end: '21:00', days: ['sun'] } };

function allowedAt(instant: string, constraints: SendConstraint[], zone = 'Europe/Paris'): string {
  return nextAllowedTime(new Date(instant), constraints, zone).at.toISOString();
}

describe('the next time every constraint allows a send', () => {
  it.each([
    ['is the instant itself without constraints', [], '2026-11-29T11:00:00Z', '2026-11-29T11:00:00.000Z'],
    [
      'is the instant itself inside the window and the rules',
      [DAYTIME_WINDOW, FR_RULES],
      '2026-11-24T14:00:00Z',
      '2026-11-24T14:00:00.000Z',
    ],
    ['is the window opening when only the window refuses', [DAYTIME_WINDOW, FR_RULES], '2026-11-24T06:00:00Z', '2026-11-24T08:00:00.000Z'],
    [
      'is the window opening after a Sunday pushed to Monday 08:00',
      [DAYTIME_WINDOW, FR_RULES],
      '2026-11-29T11:00:00Z',
      '2026-11-30T08:00:00.000Z',
    ],
    ['skips a window opening that falls on Bastille Day', [DAYTIME_WINDOW, FR_RULES], '2026-07-13T20:00:00Z', '2026-07-15T07:00:00.000Z'],
    [
      'skips a window opening on Christmas Day to Saturday 09:00',
      [DAYTIME_WINDOW, FR_RULES],
      '2026-12-24T20:30:00Z',
      '2026-12-26T08:00:00.000Z',
    ],
    ['is the window opening on the spring-forward Monday', [DAYTIME_WINDOW, FR_RULES], '2026-03-28T19:30:00Z', '2026-03-30T07:00:00.000Z'],
    ['honours each constraint in its own zone', [NEW_YORK_WINDOW, FR_RULES], '2026-11-30T12:00:00Z', '2026-11-30T14:00:00.000Z'],
    ['waits for both zones to agree', [NEW_YORK_WINDOW, FR_RULES], '2026-11-30T19:30:00Z', '2026-12-01T14:00:00.000Z'],
  ])('%s', (_behaviour, constraints, instant, expected) => {
    expect(allowedAt(instant, constraints)).toBe(expected);
  });
});

describe('the reasons for waiting', () => {
  it('are empty when the instant is allowed', () => {
    expect(nextAllowedTime(new Date('2026-11-24T14:00:00Z'), [DAYTIME_WINDOW, FR_RULES], 'Europe/Paris').reasons).toEqual([]);
  });

  it('give each refusing constraint once, with its first refusal, in order', () => {
    const windowClosingAt19: SendConstraint = { kind: 'timeWindow', window: { start: '09:00', end: '19:00' } };
    expect(nextAllowedTime(new Date('2026-07-13T17:30:00Z'), [windowClosingAt19, FR_RULES], 'Europe/Paris')).toEqual({
      at: new Date('2026-07-15T07:00:00Z'),
      reasons: [
        'outside the 09:00–19:00 window in Europe/Paris (it is 19:30 there); next opening 2026-07-14T07:00:00.000Z',
        'FR marketing rules: 2026-07-14 is a public holiday in FR (Bastille Day); next allowed 2026-07-15T06:00:00.000Z',
      ],
    });
  });

  it('give every constraint that refuses the instant itself', () => {
    expect(nextAllowedTime(new Date('2026-11-29T21:00:00Z'), [DAYTIME_WINDOW, FR_RULES], 'Europe/Paris').reasons).toEqual([
      'outside the 09:00–21:00 window in Europe/Paris (it is 22:00 there); next opening 2026-11-30T08:00:00.000Z',
      'FR marketing rules: no sends on Sundays; next allowed 2026-11-30T07:00:00.000Z',
    ]);
  });
});

describe('constraints that never agree', () => {
  it('a Sunday-only window under rules forbidding Sundays has no allowed time within 400 days', () => {
    expect(() => nextAllowedTime(new Date('2026-11-24T14:00:00Z'), [SUNDAY_WINDOW, FR_RULES], 'Europe/Paris')).toThrow(
      'no allowed time within 400 days of 2026-11-24T14:00:00.000Z',
    );
  });
});
