import { fixedDurationMillis, parseRequestOrThrow, ValidationError } from '@nudge/contracts';
import { z } from 'zod';

/** The longest window of the per-day funnel. */
export const MAX_FUNNEL_DAYS = 366;
/** The funnel's window when none is given: the last 30 days. */
export const DEFAULT_FUNNEL_SINCE = 'P30D';

/** A window of time: decisions, messages and sends from `since` (inclusive) to `until` (exclusive). */
export interface StatsWindow {
  since: Date;
  until: Date;
}

const dateTime = z.string().datetime({ offset: true });

const boundSchema = z
  .string()
  .trim()
  .refine((text) => fixedDurationMillis(text) !== null || dateTime.safeParse(text).success, {
    message: 'must be an ISO-8601 date-time with zone, or a duration back from now (P1D, PT12H)',
  });

/** `GET /v1/campaigns/{id}/stats?since=&until=`: both optional (no window: all time). */
export const statsQuerySchema = z
  .object({
    since: boundSchema.optional().describe('Counts from then: a date-time, or a duration back from now (`P1D` = the last 24 h).'),
    until: boundSchema.optional().describe('Counts before then: a date-time, or a duration back from now; default now.'),
  })
  .strict();

/** `GET /v1/campaigns/{id}/funnel?since=&until=`: the window of the per-day funnel (default the last 30 days, at most 366). */
export const funnelQuerySchema = statsQuerySchema;

/** The window a stats query asks for, or null for all time; a 400 naming `query.since` / `query.until`. */
export function statsWindowOf(query: unknown, now: Date): StatsWindow | null {
  const { since, until } = parseRequestOrThrow(statsQuerySchema, query ?? {}, 'query', ['query']);
  if (since === undefined && until === undefined) return null;
  return checked({
    since: since === undefined ? new Date(0) : instantOf(since, now),
    until: until === undefined ? now : instantOf(until, now),
  });
}

/** The window of the per-day funnel: default the last 30 days, at most 366 days long. */
export function funnelWindowOf(query: unknown, now: Date): StatsWindow {
  const { since, until } = parseRequestOrThrow(funnelQuerySchema, query ?? {}, 'query', ['query']);
  const window = checked({
    since: instantOf(since ?? DEFAULT_FUNNEL_SINCE, now),
    until: until === undefined ? now : instantOf(until, now),
  });
  if (window.until.getTime() - window.since.getTime() > MAX_FUNNEL_DAYS * 86_400_000) {
    throw new ValidationError('invalid query: window too long', [
      { path: 'query.since', message: `the window must be at most ${MAX_FUNNEL_DAYS} days` },
    ]);
  }
  return window;
}

/** A date-time, or `now` minus a duration. */
function instantOf(text: string, now: Date): Date {
  const back = fixedDurationMillis(text);
  return back === null ? new Date(text) : new Date(now.getTime() - back);
}

function checked(window: StatsWindow): StatsWindow {
  if (window.since >= window.until) {
    throw new ValidationError('invalid query: empty window', [{ path: 'query.since', message: 'must be before until' }]);
  }
  return window;
}
