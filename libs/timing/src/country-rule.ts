import { hasHolidayCalendar } from './public-holidays';
import { isTimeOfDay } from './time-of-day';
import { isEndOfSpan, type WallTime } from './wall-clock';
import { WEEKDAYS, isWeekday, type Weekday } from './weekday';

/** Hours of one day, [start, end) on the same local date; `end` may be "24:00". */
export interface DailyHours {
  start: string;
  end: WallTime;
}

/**
 * A country's rules for one category of messages, as settings write them:
 * `{ category: marketing, hours: { mon-sat: "08:00-20:00" }, sundays: false, holidays: false }`.
 * Without `hours` every hour of every day is allowed; with them, a day no key covers is not.
 */
export interface CountryRule {
  category: 'marketing' | 'transactional';
  hours?: Partial<Record<Weekday, DailyHours>>;
  sundays: boolean;
  holidays: boolean;
}

/** One problem with a rule as written: where it is (`countryRules.FR.hours.mon-sat`) and what is wrong. */
export interface CountryRuleIssue {
  path: string;
  message: string;
}

const FIELDS = ['category', 'hours', 'sundays', 'holidays'];
const DAY_SPAN = /^([a-z]{3})(?:-([a-z]{3}))?$/;
const HOURS = /^(\d\d:\d\d)-(\d\d:\d\d)$/;

/** The problems with a country rule as written, each with its path under `pathPrefix` (empty when it is fine). */
export function countryRuleIssues(raw: unknown, pathPrefix: string, country?: string): CountryRuleIssue[] {
  return readCountryRule(raw, pathPrefix, country).issues;
}

/** Reads a country rule as written, with its defaults; throws an Error listing every issue if it is not valid. */
export function parseCountryRule(raw: unknown, pathPrefix = '', country?: string): CountryRule {
  const { rule, issues } = readCountryRule(raw, pathPrefix, country);
  if (issues.length > 0) {
    const where = pathPrefix || (country ? `${country} rule` : 'country rule');
    throw new Error(`invalid country rule ${where}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
  return rule;
}

function readCountryRule(raw: unknown, prefix: string, country: string | undefined): { rule: CountryRule; issues: CountryRuleIssue[] } {
  const issues: CountryRuleIssue[] = [];
  const at = (field: string): string => (prefix ? `${prefix}.${field}` : field);
  const rule: CountryRule = { category: 'marketing', sundays: true, holidays: true };
  if (!isRecord(raw)) {
    issues.push({
      path: prefix,
      message: 'must be an object such as { hours: { mon-sat: "08:00-20:00" }, sundays: false, holidays: false }',
    });
    return { rule, issues };
  }

  for (const field of Object.keys(raw).filter((key) => !FIELDS.includes(key))) {
    issues.push({ path: at(field), message: `is not a country rule field (${FIELDS.join(', ')})` });
  }
  if (raw.category !== undefined) {
    if (raw.category === 'marketing' || raw.category === 'transactional') rule.category = raw.category;
    else issues.push({ path: at('category'), message: 'must be marketing or transactional' });
  }
  const issuesBeforeHours = issues.length;
  if (raw.hours !== undefined) rule.hours = readHours(raw.hours, at('hours'), issues);
  const hoursAreReadable = issues.length === issuesBeforeHours;
  for (const flag of ['sundays', 'holidays'] as const) {
    const value = raw[flag];
    if (typeof value === 'boolean') rule[flag] = value;
    else if (value !== undefined) issues.push({ path: at(flag), message: 'must be true or false' });
  }

  if (hoursAreReadable && rule.hours && !WEEKDAYS.some((day) => rule.hours?.[day] && (day !== 'sun' || rule.sundays))) {
    issues.push({ path: at('hours'), message: 'allows no day of the week; name at least one day such as mon-fri' });
  }
  if (!rule.holidays && country !== undefined && !hasHolidayCalendar(country)) {
    issues.push({ path: at('holidays'), message: `cannot be false: no public holiday calendar is known for "${country}"` });
  }
  return { rule, issues };
}

function readHours(raw: unknown, path: string, issues: CountryRuleIssue[]): Partial<Record<Weekday, DailyHours>> {
  const hours: Partial<Record<Weekday, DailyHours>> = {};
  if (!isRecord(raw)) {
    issues.push({ path, message: 'must map days to hours, such as { mon-sat: "08:00-20:00" }' });
    return hours;
  }
  const coveredBy = new Map<Weekday, string>();
  for (const [span, text] of Object.entries(raw)) {
    const days = readDaySpan(span);
    const daily = readDailyHours(text);
    if (typeof days === 'string') issues.push({ path: `${path}.${span}`, message: days });
    if (typeof daily === 'string') issues.push({ path: `${path}.${span}`, message: daily });
    if (typeof days === 'string' || typeof daily === 'string') continue;
    for (const day of days) {
      const earlier = coveredBy.get(day);
      if (earlier !== undefined) {
        issues.push({ path: `${path}.${span}`, message: `covers ${day}, which ${earlier} already covers` });
        continue;
      }
      coveredBy.set(day, span);
      hours[day] = daily;
    }
  }
  return hours;
}

/** The days a key such as `mon`, `mon-fri` or `sat-sun` covers, or what is wrong with it. */
function readDaySpan(span: string): Weekday[] | string {
  const match = DAY_SPAN.exec(span);
  const first = match?.[1];
  const last = match?.[2] ?? first;
  if (!isWeekday(first) || !isWeekday(last)) return 'is not a day or day range such as mon, mon-fri or sat-sun';
  const from = WEEKDAYS.indexOf(first);
  const to = WEEKDAYS.indexOf(last);
  if (from > to) return `must run forward from mon to sun, such as ${last}-${first}`;
  return WEEKDAYS.slice(from, to + 1);
}

/** Hours written "HH:MM-HH:MM" on one day, or what is wrong with them. */
function readDailyHours(text: unknown): DailyHours | string {
  const match = typeof text === 'string' ? HOURS.exec(text) : null;
  const start = match?.[1];
  const end = match?.[2];
  if (!isTimeOfDay(start) || !isEndOfSpan(end)) return 'must be hours such as "08:00-20:00" (HH:MM-HH:MM, from 00:00 up to 24:00)';
  if (start >= end) return `must start before it ends on the same day (${start} is not before ${end})`;
  return { start, end };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
