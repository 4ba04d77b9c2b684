import type { DateTime } from 'luxon';
import type { CountryRule } from './country-rule';
import { publicHolidaysOn } from './public-holidays';
import { atWallTime, formatWallTime, wallClockAt } from './wall-clock';
import { weekdayName, weekdayOf } from './weekday';

export type CountryRuleVerdict = { allowed: true } | { allowed: false; nextAllowed: Date; reason: string };

/** How far ahead an allowed time is looked for before the rule is declared impossible. */
export const SEARCH_HORIZON_DAYS = 400;

/** The span of one local day a rule allows sends in, [opens, closes). */
interface AllowedSpan {
  opens: DateTime;
  closes: DateTime;
}

/**
 * Whether `rule` (the rules of `country`) allows a send at `instant` on the wall clock of `zone`;
 * if not, the next instant it does and the rule that refused, e.g.
 * "FR marketing rules: no sends on Sundays; next allowed 2026-11-30T07:00:00.000Z".
 */
export function countryRuleVerdict(instant: Date, rule: CountryRule, zone: string, country: string): CountryRuleVerdict {
  const local = wallClockAt(instant, zone);
  const today = local.startOf('day');
  const refusal = dayRefusal(today, rule, country) ?? hoursRefusal(local, rule, zone);
  if (refusal === undefined) return { allowed: true };

  const nextAllowed = nextAllowedAfter(local, rule, country);
  return {
    allowed: false,
    nextAllowed: nextAllowed.toJSDate(),
    reason: `${country} ${rule.category} rules: ${refusal}; next allowed ${nextAllowed.toJSDate().toISOString()}`,
  };
}

/** Why no send is allowed at all on a local date, or undefined when some hours are. */
function dayRefusal(day: DateTime, rule: CountryRule, country: string): string | undefined {
  const weekday = weekdayOf(day);
  if (weekday === 'sun' && !rule.sundays) return 'no sends on Sundays';
  if (!rule.holidays) {
    const date = day.toISODate() ?? '';
    const holidays = publicHolidaysOn(country, date);
    if (holidays.length > 0) return `${date} is a public holiday in ${country} (${holidays.join(', ')})`;
  }
  if (rule.hours && !rule.hours[weekday]) return `no sends on ${weekdayName(weekday)}s`;
  return undefined;
}

/** Why `local` is outside the day's hours, or undefined when it is inside (or the rule has no hours). */
function hoursRefusal(local: DateTime, rule: CountryRule, zone: string): string | undefined {
  const span = allowedSpanOn(local.startOf('day'), rule);
  if (span && span.opens <= local && local < span.closes) return undefined;
  const daily = rule.hours?.[weekdayOf(local)];
  const hours = daily ? `${daily.start}–${daily.end}` : 'the allowed hours';
  return `outside ${hours} on ${weekdayName(weekdayOf(local))} (it is ${formatWallTime(local)} in ${zone})`;
}

/** The hours a rule allows on a local date whose day itself is allowed. */
function allowedSpanOn(day: DateTime, rule: CountryRule): AllowedSpan | undefined {
  if (!rule.hours) return { opens: atWallTime(day, '00:00'), closes: atWallTime(day, '24:00') };
  const daily = rule.hours[weekdayOf(day)];
  if (!daily) return undefined;
  const opens = atWallTime(day, daily.start);
  const closes = atWallTime(day, daily.end);
  // A DST gap can push short hours' start past their end: that day has none.
  return opens < closes ? { opens, closes } : undefined;
}

function nextAllowedAfter(local: DateTime, rule: CountryRule, country: string): DateTime {
  const today = local.startOf('day');
  for (let offset = 0; offset <= SEARCH_HORIZON_DAYS; offset++) {
    const day = today.plus({ days: offset });
    if (dayRefusal(day, rule, country) !== undefined) continue;
    const span = allowedSpanOn(day, rule);
    if (span && local < span.closes) return span.opens > local ? span.opens : local;
  }
  throw new Error(
    `${country} ${rule.category} rules allow no time within ${SEARCH_HORIZON_DAYS} days of ${local.toJSDate().toISOString()}`,
  );
}
