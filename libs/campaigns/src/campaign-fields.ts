import { channelSchema } from '@nudge/contracts';
import { validateTemplate } from '@nudge/templates';
import { isIanaZone, isTimeOfDay, parseIsoDuration } from '@nudge/timing';
import { z } from 'zod';

/** Building blocks of the campaign schema: each field kind checks itself and reports at its own path. */

export const campaignIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,127}$/,
    'must be a slug of lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 128 characters',
  );

export const eventNameSchema = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

/** An ISO-8601 duration; `allowZero` where "at once" means something (a delay), not where it would divide by nothing (a cap). */
export function isoDurationSchema({ allowZero }: { allowZero: boolean }) {
  return z.string().superRefine((text, ctx) => {
    try {
      const duration = parseIsoDuration(text);
      if (!allowZero && duration.toMillis() === 0) ctx.addIssue({ code: 'custom', message: 'must be longer than zero' });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });
}

/**
 * An instant, normalised to `toISOString()` form. A YAML 1.1 parser turns an unquoted
 * timestamp into a Date, so a Date is accepted too.
 */
export const instantSchema = z.preprocess(
  (value) => (isValidDate(value) ? value.toISOString() : value),
  z
    .string({ invalid_type_error: 'must be an ISO-8601 date-time such as 2026-11-01T00:00:00Z' })
    .datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone, such as 2026-11-01T00:00:00Z' })
    .transform((text) => new Date(text).toISOString()),
);

export const timeOfDaySchema = z.string().refine(isTimeOfDay, 'must be a time of day "HH:MM" from 00:00 to 23:59');

export const timeZoneSchema = z
  .string()
  .refine((zone) => zone === 'recipient' || isIanaZone(zone), 'must be "recipient" or an IANA time zone such as Europe/Madrid');

/** A Liquid template; a syntax error or unknown filter is reported with liquidjs' line and column. */
export const templateSchema = z.string().superRefine((source, ctx) => {
  const problem = validateTemplate(source);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** One channel, or a fallback chain tried in order. */
export const channelChoiceSchema = z.union(
  [
    channelSchema,
    z
      .array(channelSchema)
      .min(1, 'must list at least one channel')
      .refine((chain) => new Set(chain).size === chain.length, 'must not list a channel twice'),
  ],
  { errorMap: () => ({ message: 'must be a channel or a list of channels to fall back through' }) },
);

/** Exception `match` and conversion `match`: later event's property → trigger event's property. */
export const propertyMatchSchema = z.record(z.string().min(1, 'must name a property of the trigger event'));

export { WEEKDAYS } from '@nudge/timing';

/** Not `instanceof`: a Date made in another realm (a vm, a worker's structuredClone) is a Date too. */
function isValidDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]' && !Number.isNaN((value as Date).getTime());
}
