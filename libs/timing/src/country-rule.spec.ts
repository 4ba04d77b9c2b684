import { countryRuleIssues, parseCountryRule } from './country-rule';

const FR_MARKETING = { category: 'marketing', hours: { 'mon-sat': '08:00-20:00' }, sundays: false, holidays: false };
const EIGHT_TO_EIGHT = { start: '08:00', end: '20:00' };

describe('reading a country rule', () => {
  it('reads the French marketing rule with a span of days', () => {
    expect(parseCountryRule(FR_MARKETING, 'countryRules.FR', 'FR')).toEqual({
      category: 'marketing',
      hours: {
        mon: EIGHT_TO_EIGHT,
        tue: EIGHT_TO_EIGHT,
        wed: EIGHT_TO_EIGHT,
        thu: EIGHT_TO_EIGHT,
        fri: EIGHT_TO_EIGHT,
        sat: EIGHT_TO_EIGHT,
      },
      sundays: false,
      holidays: false,
    });
  });

  it.each([
    ['an empty rule allows everything, for marketing', {}, { category: 'marketing', sundays: true, holidays: true }],
    [
      'single days and spans combine',
      { hours: { 'mon-fri': '09:00-18:00', sat: '10:00-12:00' } },
      { hours: { mon: { start: '09:00', end: '18:00' }, sat: { start: '10:00', end: '12:00' } } },
    ],
    ['hours may run to the end of the day', { hours: { 'sat-sun': '10:00-24:00' } }, { hours: { sun: { start: '10:00', end: '24:00' } } }],
    ['a transactional rule', { category: 'transactional' }, { category: 'transactional' }],
  ])('%s', (_behaviour, raw, expected) => {
    expect(parseCountryRule(raw)).toMatchObject(expected);
  });
});

describe('issues with a country rule, each with its path', () => {
  it.each([
    ['a misspelt day', { hours: { 'mon-sam': '08:00-20:00' } }, 'countryRules.FR.hours.mon-sam', 'is not a day or day range'],
    ['a capitalised day', { hours: { Mon: '08:00-20:00' } }, 'countryRules.FR.hours.Mon', 'is not a day or day range'],
    [
      'a span running backwards',
      { hours: { 'fri-mon': '08:00-20:00' } },
      'countryRules.FR.hours.fri-mon',
      'must run forward from mon to sun, such as mon-fri',
    ],
    ['an hour past 24', { hours: { mon: '25:00-26:00' } }, 'countryRules.FR.hours.mon', 'must be hours such as "08:00-20:00"'],
    ['an end past midnight', { hours: { mon: '08:00-25:00' } }, 'countryRules.FR.hours.mon', 'must be hours such as "08:00-20:00"'],
    ['minutes past 59', { hours: { mon: '08:60-20:00' } }, 'countryRules.FR.hours.mon', 'must be hours such as "08:00-20:00"'],
    [
      'an hour without its leading zero',
      { hours: { mon: '8:00-20:00' } },
      'countryRules.FR.hours.mon',
      'must be hours such as "08:00-20:00"',
    ],
    ['hours that are not text', { hours: { mon: 800 } }, 'countryRules.FR.hours.mon', 'must be hours such as "08:00-20:00"'],
    [
      'a start after the end',
      { hours: { mon: '20:00-08:00' } },
      'countryRules.FR.hours.mon',
      'must start before it ends on the same day (20:00 is not before 08:00)',
    ],
    ['a start equal to the end', { hours: { mon: '08:00-08:00' } }, 'countryRules.FR.hours.mon', 'must start before it ends'],
    [
      'a day covered twice',
      { hours: { 'mon-fri': '08:00-20:00', fri: '10:00-12:00' } },
      'countryRules.FR.hours.fri',
      'covers fri, which mon-fri already covers',
    ],
    ['hours that are not a map', { hours: '08:00-20:00' }, 'countryRules.FR.hours', 'must map days to hours'],
    ['hours naming no day', { hours: {} }, 'countryRules.FR.hours', 'allows no day of the week'],
    [
      'hours only on Sundays while Sundays are forbidden',
      { hours: { sun: '10:00-12:00' }, sundays: false },
      'countryRules.FR.hours',
      'allows no day of the week',
    ],
    ['a flag that is not a boolean', { sundays: 'no' }, 'countryRules.FR.sundays', 'must be true or false'],
    ['an unknown category', { category: 'promotional' }, 'countryRules.FR.category', 'must be marketing or transactional'],
    [
      'an unknown field',
      { quietHours: '22:00-08:00' },
      'countryRules.FR.quietHours',
      'is not a country rule field (category, hours, sundays, holidays)',
    ],
    ['a rule that is not an object', 'mon-sat 08:00-20:00', 'countryRules.FR', 'must be an object'],
  ])('%s', (_behaviour, raw, path, message) => {
    expect(countryRuleIssues(raw, 'countryRules.FR', 'FR')).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('a rule forbidding holidays in a country without a calendar', () => {
    expect(countryRuleIssues({ holidays: false }, 'countryRules.XX', 'XX')).toEqual([
      { path: 'countryRules.XX.holidays', message: 'cannot be false: no public holiday calendar is known for "XX"' },
    ]);
  });

  it('paths start at the rule when there is no prefix', () => {
    expect(countryRuleIssues({ hours: { 'mon-sam': '08:00-20:00' } }, '')).toEqual([
      { path: 'hours.mon-sam', message: expect.any(String) },
    ]);
  });

  it('reports every issue at once', () => {
    expect(countryRuleIssues({ hours: { 'mon-sam': '25:00-26:00', tue: '20:00-08:00' }, holidays: 'no' }, 'countryRules.FR')).toHaveLength(
      4,
    );
  });

  it('the French marketing rule has no issues', () => {
    expect(countryRuleIssues(FR_MARKETING, 'countryRules.FR', 'FR')).toEqual([]);
  });

  it('parsing an invalid rule throws with every issue and its path', () => {
    expect(() => parseCountryRule({ hours: { mon: '20:00-08:00' }, sundays: 'no' }, 'countryRules.FR')).toThrow(
      'invalid country rule countryRules.FR: countryRules.FR.hours.mon: must start before it ends on the same day (20:00 is not before 08:00); countryRules.FR.sundays: must be true or false',
    );
  });
});
