import type { SendRequest } from '@nudge/contracts';
import type { JourneyRun } from '@nudge/decisions';
import type { AttributionRow, ConversionRow, DecisionRecord, LedgerRow, OptInAsked, PendingSend, Touch } from './vocabulary';

/**
 * Everything a batch of decisions causes, as one immutable value: the planners build it,
 * rules' EffectsWriter writes and publishes it in one fixed order inside the batch's
 * transaction, and `nudge simulate` applies it to its in-memory state. Nothing here has
 * happened yet.
 */
export interface Effects {
  /** Lines of the decision log, in the order they were decided. */
  readonly decisions: readonly DecisionRecord[];
  /** Pending sends to add (deferrals, delays, fallback steps); a send id already pending is kept. */
  readonly schedule: readonly PendingSend[];
  /** Send ids of pending sends to cancel (an exception came first). */
  readonly cancel: readonly string[];
  /** Send requests for dispatch. */
  readonly requests: readonly SendRequest[];
  /** Sends to count against caps. */
  readonly ledger: readonly LedgerRow[];
  /** Re-eligibility clocks to move. */
  readonly touches: readonly Touch[];
  /** Sends that conversions may count for (treated or held out). */
  readonly attributions: readonly AttributionRow[];
  /** Conversion events counted against the sends they convert. */
  readonly conversions: readonly ConversionRow[];
  /** Journey runs to write (started, moved on, or remembering a status); the last of a run id wins. */
  readonly runs: readonly JourneyRun[];
  /** Double opt-in confirmations asked; the last of a (user, channel) wins. */
  readonly optIns: readonly OptInAsked[];
}

export const NO_EFFECTS: Effects = Object.freeze({
  decisions: [],
  schedule: [],
  cancel: [],
  requests: [],
  ledger: [],
  touches: [],
  attributions: [],
  conversions: [],
  runs: [],
  optIns: [],
});

/** Effects with only some parts: the rest empty. */
export function effects(parts: Partial<Effects>): Effects {
  return { ...NO_EFFECTS, ...parts };
}

/** The effects of several steps, in order: lists are concatenated, a later run or opt-in replaces an earlier one. */
export function mergeEffects(...all: readonly Partial<Effects>[]): Effects {
  const parts = all.map(effects);
  return {
    decisions: parts.flatMap((e) => e.decisions),
    schedule: parts.flatMap((e) => e.schedule),
    cancel: parts.flatMap((e) => e.cancel),
    requests: parts.flatMap((e) => e.requests),
    ledger: parts.flatMap((e) => e.ledger),
    touches: parts.flatMap((e) => e.touches),
    attributions: parts.flatMap((e) => e.attributions),
    conversions: parts.flatMap((e) => e.conversions),
    runs: lastOf(
      parts.flatMap((e) => e.runs),
      (run) => run.runId,
    ),
    optIns: lastOf(
      parts.flatMap((e) => e.optIns),
      (asked) => `${asked.userId}\u0000${asked.channel}`,
    ),
  };
}

/** The last item of each key, in the order each key first appeared. */
function lastOf<T>(items: readonly T[], key: (item: T) => string): T[] {
  const last = new Map<string, T>();
  for (const item of items) last.set(key(item), item);
  return [...last.values()];
}
