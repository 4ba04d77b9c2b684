import { parseCountryRule } from './country-rule';
import { countryRuleVerdict } from './country-rule-verdict';

const FR_MARKETING = parseCountryRule({ hours: { 'mon-sat': '08:00-20:00' }, sundays: false, holidays: false });
const WEEKDAY_OFFICE_HOURS = parseCountryRule({ hours: { 'mon-fri': '09:00-18:00' } });
const NO_SUNDAYS = parseCountryRule({ sundays: false });
const NO_HOLIDAYS = parseCountryRule({ holidays: false });

function nextAllowed(instant: string, rule = FR_MARKETING, zone = 'Europe/Paris', country = 'FR'): string | 'allowed' {
  const verdict = countryRuleVerdict(new Date(instant), rule, zone, country);
  return verdict.allowed ? 'allowed' : verdict.nextAllowed.toISOString();
}

describe('French marketing rules (mon-sat 08:00-20:00, no Sundays, no public holidays)', () => {
  it.each([
    ['allow a weekday afternoon', '2026-11-24T14:00:00Z', 'allowed'],
    ['allow Saturday at exactly 08:00', '2026-11-28T07:00:00Z', 'allowed'],
    ['allow Saturday at 19:59', '2026-11-28T18:59:00Z', 'allowed'],
    ['refuse Saturday at exactly 20:00, until Monday 08:00 (Sunday is forbidden)', '2026-11-28T19:00:00Z', '2026-11-30T07:00:00.000Z'],
    ['refuse Saturday 20:30, until Monday 08:00', '2026-11-28T19:30:00Z', '2026-11-30T07:00:00.000Z'],
    ['refuse a Sunday, until Monday 08:00', '2026-11-29T11:00:00Z', '2026-11-30T07:00:00.000Z'],
    ['refuse Monday 07:59, until 08:00 that day', '2026-11-30T06:59:00Z', '2026-11-30T07:00:00.000Z'],
    ['refuse Bastille Day, until the next day 08:00', '2026-07-14T10:00:00Z', '2026-07-15T06:00:00.000Z'],
    ['refuse Christmas Day, until Saturday 26th 08:00', '2026-12-25T09:00:00Z', '2026-12-26T07:00:00.000Z'],
    ['refuse the evening before Christmas, past the holiday', '2026-12-24T19:30:00Z', '2026-12-26T07:00:00.000Z'],
    ['refuse a Saturday holiday (Assumption), past Sunday to Monday', '2026-08-15T08:00:00Z', '2026-08-17T06:00:00.000Z'],
    [
      'read the holiday on the local date: 00:30 on 14 July is Bastille Day though UTC is still the 13th',
      '2026-07-13T22:30:00Z',
      '2026-07-15T06:00:00.000Z',
    ],
    [
      'read the holiday on the local date: 00:30 on 15 July is no holiday though UTC is still the 14th',
      '2026-07-14T22:30:00Z',
      '2026-07-15T06:00:00.000Z',
    ],
    ['move Saturday night to Monday 08:00 summer time across spring forward', '2026-03-28T19:30:00Z', '2026-03-30T06:00:00.000Z'],
    ['move Saturday night to Monday 08:00 winter time across fall back', '2026-10-24T18:30:00Z', '2026-10-26T07:00:00.000Z'],
  ])('%s', (_behaviour, instant, expected) => {
    expect(nextAllowed(instant)).toBe(expected);
  });
});

describe('other country rules', () => {
  it.each([
    [
      'hours on mon-fri only: Friday 19:00 waits for Monday 09:00',
      WEEKDAY_OFFICE_HOURS,
      '2026-11-27T18:00:00Z',
      '2026-11-30T08:00:00.000Z',
    ],
    ['hours on mon-fri only: a Saturday waits for Monday 09:00', WEEKDAY_OFFICE_HOURS, '2026-11-28T12:00:00Z', '2026-11-30T08:00:00.000Z'],
    ['hours on mon-fri only: allows public holidays unless told', WEEKDAY_OFFICE_HOURS, '2026-07-14T10:00:00Z', 'allowed'],
    ['no Sundays without hours: a Sunday waits for Monday 00:00 local', NO_SUNDAYS, '2026-11-29T14:00:00Z', '2026-11-29T23:00:00.000Z'],
    ['no Sundays without hours: Saturday at 23:59 is allowed', NO_SUNDAYS, '2026-11-28T22:59:00Z', 'allowed'],
    ['no holidays without hours: Bastille Day waits for local midnight', NO_HOLIDAYS, '2026-07-14T10:00:00Z', '2026-07-14T22:00:00.000Z'],
  ])('%s', (_behaviour, rule, instant, expected) => {
    expect(nextAllowed(instant, rule)).toBe(expected);
  });

  it.each([
    ['Christmas Eve 22:00 in New York is not Christmas, though UTC is already the 25th', '2026-12-25T03:00:00Z', 'allowed'],
    ['Christmas Day in New York waits for local midnight', '2026-12-25T15:00:00Z', '2026-12-26T05:00:00.000Z'],
  ])('US rules in New York: %s', (_behaviour, instant, expected) => {
    expect(nextAllowed(instant, NO_HOLIDAYS, 'America/New_York', 'US')).toBe(expected);
  });
});

describe('the reason names the rule that refused', () => {
  it.each([
    ['a Sunday', '2026-11-29T11:00:00Z', 'FR marketing rules: no sends on Sundays; next allowed 2026-11-30T07:00:00.000Z'],
    [
      'a public holiday',
      '2026-12-25T09:00:00Z',
      'FR marketing rules: 2026-12-25 is a public holiday in FR (Christmas Day); next allowed 2026-12-26T07:00:00.000Z',
    ],
    [
      'the hours',
      '2026-11-28T19:30:00Z',
      'FR marketing rules: outside 08:00–20:00 on Saturday (it is 20:30 in Europe/Paris); next allowed 2026-11-30T07:00:00.000Z',
    ],
  ])('%s', (_behaviour, instant, reason) => {
    expect(countryRuleVerdict(new Date(instant), FR_MARKETING, 'Europe/Paris', 'FR')).toEqual({
      allowed: false,
      nextAllowed: expect.any(Date),
      reason,
    });
  });

  it('a day without hours', () => {
    const verdict = countryRuleVerdict(new Date('2026-11-28T12:00:00Z'), WEEKDAY_OFFICE_HOURS, 'Europe/Berlin', 'DE');
    expect(verdict).toMatchObject({ reason: 'DE marketing rules: no sends on Saturdays; next allowed 2026-11-30T08:00:00.000Z' });
  });
});
