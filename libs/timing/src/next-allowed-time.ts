import type { CountryRule } from './country-rule';
import { countryRuleVerdict, SEARCH_HORIZON_DAYS } from './country-rule-verdict';
import { windowVerdict, type TimeWindow } from './time-window';

/**
 * One thing a send must respect. `zone` overrides the recipient's zone passed to
 * `nextAllowedTime`, e.g. a campaign window fixed to `Europe/Madrid`.
 */
export type SendConstraint =
  { kind: 'timeWindow'; window: TimeWindow; zone?: string } | { kind: 'countryRule'; country: string; rule: CountryRule; zone?: string };

/**
 * The earliest allowed instant, and why it is not `instant`: each constraint that refused on the
 * way, once, with its first refusal, in the order they happened (empty when `instant` is allowed).
 */
export interface AllowedTime {
  at: Date;
  reasons: string[];
}

type Refusal = { nextTry: Date; reason: string };

const DAY_MS = 86_400_000;
// Each round moves past at least one refusal; two constraints that keep pushing each other
// (a Sunday-only window under a no-Sunday rule) need a few rounds per week of the horizon.
const MAX_ROUNDS = 2_000;

/**
 * The earliest instant ≥ `instant` at which every constraint allows a send, in `zone` unless a
 * constraint names its own. Throws when there is none within 400 days.
 */
export function nextAllowedTime(instant: Date, constraints: readonly SendConstraint[], zone: string): AllowedTime {
  const horizon = instant.getTime() + SEARCH_HORIZON_DAYS * DAY_MS;
  const firstRefusals = new Map<SendConstraint, string>();
  let candidate = instant;
  for (let round = 0; round < MAX_ROUNDS && candidate.getTime() < horizon; round++) {
    const refusals = constraints.flatMap((constraint) => {
      const refusal = refusalOf(candidate, constraint, zone);
      return refusal ? [{ constraint, ...refusal }] : [];
    });
    if (refusals.length === 0) return { at: new Date(candidate.getTime()), reasons: [...firstRefusals.values()] };
    for (const refusal of refusals) if (!firstRefusals.has(refusal.constraint)) firstRefusals.set(refusal.constraint, refusal.reason);
    // No constraint allows anything before its own next try, so the latest of them is the next candidate.
    candidate = new Date(Math.max(...refusals.map((refusal) => refusal.nextTry.getTime())));
  }
  throw new Error(
    `no allowed time within ${SEARCH_HORIZON_DAYS} days of ${instant.toISOString()}: ${[...firstRefusals.values()].join('; ')}`,
  );
}

function refusalOf(instant: Date, constraint: SendConstraint, recipientZone: string): Refusal | undefined {
  const zone = constraint.zone ?? recipientZone;
  if (constraint.kind === 'timeWindow') {
    const verdict = windowVerdict(instant, constraint.window, zone);
    return verdict.inside ? undefined : { nextTry: verdict.nextOpening, reason: verdict.reason };
  }
  const verdict = countryRuleVerdict(instant, constraint.rule, zone, constraint.country);
  return verdict.allowed ? undefined : { nextTry: verdict.nextAllowed, reason: verdict.reason };
}
