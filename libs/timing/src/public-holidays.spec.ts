import Holidays from 'date-holidays';
import { hasHolidayCalendar, publicHolidaysOn } from './public-holidays';

jest.mock('date-holidays', () => {
  const Actual = jest.requireActual('date-holidays');
  // Counts calendars built per country, to prove each is built once.
  return class CountedHolidays extends Actual {
    static built: unknown[] = [];
    constructor(...args: unknown[]) {
      super(...args);
      CountedHolidays.built.push(args[0]);
    }
  };
});

describe('public holidays on a local date', () => {
  it.each([
    ['Bastille Day in France', 'FR', '2026-07-14', ['Bastille Day']],
    ['Christmas Day in France', 'FR', '2026-12-25', ['Christmas Day']],
    ['no holiday the day after Bastille Day', 'FR', '2026-07-15', []],
    ['no holiday on Pentecost Sunday, an observance in France', 'FR', '2026-05-24', []],
    ['no holiday on Christmas Eve afternoon, a bank holiday in Germany', 'DE', '2026-12-24', []],
    ['a substitute day in the United States', 'US', '2026-07-03', ['Independence Day (substitute day)']],
  ])('%s', (_behaviour, country, date, names) => {
    expect(publicHolidaysOn(country, date)).toEqual(names);
  });

  it('builds one calendar per country, however many dates and years are asked', () => {
    for (const date of ['2026-01-01', '2026-07-14', '2027-07-14', '2028-12-25']) publicHolidaysOn('FR', date);
    const built = (Holidays as unknown as { built: unknown[] }).built;
    expect(built.filter((country) => country === 'FR')).toHaveLength(1);
  });

  it.each([
    ['FR', true],
    ['US', true],
    ['XX', false],
    ['fr', false],
  ])('knows a calendar for %s: %s', (country, expected) => {
    expect(hasHolidayCalendar(country)).toBe(expected);
  });

  it.each([
    ['a country without a calendar', 'XX', '2026-07-14', 'no public holiday calendar is known for country "XX"'],
    ['a date that is not YYYY-MM-DD', 'FR', '14/07/2026', '"14/07/2026" is not a date YYYY-MM-DD'],
  ])('refuses %s', (_behaviour, country, date, message) => {
    expect(() => publicHolidaysOn(country, date)).toThrow(message);
  });
});
