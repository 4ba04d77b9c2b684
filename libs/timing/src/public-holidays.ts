import Holidays, { type HolidaysTypes } from 'date-holidays';

/**
 * Public holidays per country from the `date-holidays` calendar. Constructing a calendar is slow,
 * so there is one per country, built on first use; holidays are read per year and kept too.
 * Calendars run in UTC so that a holiday's start and end are its local calendar date, whatever
 * the process's time zone.
 */
const calendars = new Map<string, Holidays>();
const holidaysByYear = new Map<string, readonly HolidaysTypes.Holiday[]>();
let knownCountries: ReadonlySet<string> | undefined;

/** True when the holiday calendar knows `country` (ISO-3166 alpha-2, e.g. `FR`). */
export function hasHolidayCalendar(country: string): boolean {
  knownCountries ??= new Set(Object.keys(new Holidays().getCountries()));
  return knownCountries.has(country);
}

/**
 * The names of the public holidays in `country` on a local date `YYYY-MM-DD` (empty on a
 * working day). A holiday counts if it covers any part of that day.
 */
export function publicHolidaysOn(country: string, localDate: string): string[] {
  const dayStart = Date.parse(`${localDate}T00:00:00Z`);
  if (Number.isNaN(dayStart)) throw new Error(`"${localDate}" is not a date YYYY-MM-DD`);
  const dayEnd = dayStart + 86_400_000;
  const year = Number(localDate.slice(0, 4));
  // A holiday of several days can begin in the year before.
  return [...holidaysOf(country, year - 1), ...holidaysOf(country, year)]
    .filter((holiday) => holiday.type === 'public' && holiday.start.getTime() < dayEnd && holiday.end.getTime() > dayStart)
    .map((holiday) => holiday.name);
}

function holidaysOf(country: string, year: number): readonly HolidaysTypes.Holiday[] {
  const key = `${country}:${year}`;
  let holidays = holidaysByYear.get(key);
  if (!holidays) {
    holidays = calendarOf(country).getHolidays(year);
    holidaysByYear.set(key, holidays);
  }
  return holidays;
}

function calendarOf(country: string): Holidays {
  if (!hasHolidayCalendar(country)) throw new Error(`no public holiday calendar is known for country "${country}"`);
  let calendar = calendars.get(country);
  if (!calendar) {
    calendar = new Holidays(country, { languages: ['en'], timezone: 'UTC' });
    calendars.set(country, calendar);
  }
  return calendar;
}
