import type { StatusStamp } from '../messages/message';
import type { AttemptRecord, ClaimedMessage } from '../messages/message.store';
import type { StatusChange } from '../messages/status-change';
import type { CallResult } from './provider-calls';
import { durationToMillis } from '@nudge/timing';
import { nextRetry, type RetryPolicy } from './retry-backoff';
import type { UnknownVerdict } from './unknown-outcomes';

/** What one provider call means for its message: the row to write and the changes to publish. */
export interface Settlement {
  record: AttemptRecord;
  changes: StatusChange[];
  /** For the sends metric; `released` when the provider was not called (the lease may have run out), `held` by an open breaker. */
  outcome: 'sent' | 'delivered' | 'retrying' | 'failed' | 'expired' | 'unknown' | 'held' | 'released';
}

export interface SettlementContext {
  at: string;
  policy: RetryPolicy;
  /** In [0, 1): the retry jitter. */
  random: number;
  /** How long the message's provider is retried (ISO-8601, its `maxRetryAge` setting), from when dispatch took the message. */
  maxRetryAge: string;
  /** What an unknown outcome of this message's call leads to (its provider's idempotency key or `onUnknown`). */
  onUnknown: UnknownVerdict;
}

/**
 * Settles one attempt: accepted → `sent` (and `delivered` when the provider confirms at
 * once, as sandbox does); permanent rejection → `failed` with the provider's reason;
 * transient rejection → back to `queued` after a backoff (at least the provider's
 * `Retry-After`), or `failed` once the next retry would fall past the provider's
 * `maxRetryAge` or the attempts are used up; an unknown outcome (the request left, no
 * answer came) → an `unknown` stamp, then retried like a transient failure where the
 * provider's idempotency key or `onUnknown` allows (ending `unknown`, not `failed`, when the
 * retries run out), else `unknown` for good; past its campaign's `expireAfter` (not called)
 * → `expired`; not called (the lease may have run out before the call) → released to the
 * queue as it was, the attempt not counted; held by its provider's open circuit breaker →
 * released likewise, ready again when the breaker's probe is due.
 */
export function settleAttempt(message: ClaimedMessage, result: CallResult, context: SettlementContext): Settlement {
  const base = baseRecord(message);
  if (result.outcome === 'not_called') {
    return { record: { ...base, released: true, status: 'queued', appendHistory: [] }, changes: [], outcome: 'released' };
  }
  if (result.outcome === 'held') {
    return {
      record: { ...base, released: true, status: 'queued', appendHistory: [], retryInMs: result.retryInMs },
      changes: [],
      outcome: 'held',
    };
  }
  if (result.outcome === 'expired') {
    const stamp: StatusStamp = { status: 'expired', at: context.at };
    const reason = `not sent within its expireAfter (${result.expireAfter})`;
    return {
      record: { ...base, status: 'expired', appendHistory: [stamp], failureReason: reason },
      changes: [{ message, ...stamp, reason }],
      outcome: 'expired',
    };
  }
  if (result.outcome === 'accepted') {
    const statuses = result.status === 'delivered' ? (['sent', 'delivered'] as const) : (['sent'] as const);
    const stamps: StatusStamp[] = statuses.map((status) => ({ status, at: context.at }));
    return {
      record: { ...base, status: result.status, appendHistory: stamps, providerMessageId: result.providerMessageId },
      changes: stamps.map((stamp) => ({ message, ...stamp })),
      outcome: result.status,
    };
  }
  const { error } = result;
  if (error.kind === 'permanent') return failed(message, context.at, error.message);
  const unknown = error.kind === 'unknown';
  const unknownReason = `${error.message}; ${context.onUnknown.why}`;
  if (unknown && !context.onUnknown.retry) return leftUnknown(message, context.at, unknownReason);
  const decision = nextRetry(
    {
      attempts: message.attempts,
      ageMs: Date.parse(context.at) - Date.parse(message.createdAt),
      maxRetryAgeMs: durationToMillis(context.maxRetryAge),
      maxRetryAge: context.maxRetryAge,
      retryAfterMs: error.retryAfterMs,
      error: error.message,
    },
    context.policy,
    context.random,
  );
  if (!decision.retry) return unknown ? leftUnknown(message, context.at, decision.reason) : failed(message, context.at, decision.reason);
  // A retried unknown outcome stays in the history, saying why it was retried.
  const history: StatusStamp[] = unknown ? [{ status: 'unknown', at: context.at, reason: unknownReason }] : [];
  return {
    record: { ...baseRecord(message), status: 'queued', appendHistory: history, failureReason: error.message, retryInMs: decision.delayMs },
    changes: [],
    outcome: 'retrying',
  };
}

function baseRecord(message: ClaimedMessage): Omit<AttemptRecord, 'status' | 'appendHistory'> {
  return { id: message.id, released: false, providerMessageId: null, failureReason: null, retryInMs: null };
}

function failed(message: ClaimedMessage, at: string, reason: string): Settlement {
  const stamp: StatusStamp = { status: 'failed', at };
  return {
    record: { ...baseRecord(message), status: 'failed', appendHistory: [stamp], failureReason: reason },
    changes: [{ message, ...stamp, reason }],
    outcome: 'failed',
  };
}

/** The call may have reached the provider and will not be made again: the message ends `unknown`, never `failed` (it may have arrived). */
function leftUnknown(message: ClaimedMessage, at: string, reason: string): Settlement {
  return {
    record: { ...baseRecord(message), status: 'unknown', appendHistory: [{ status: 'unknown', at, reason }], failureReason: reason },
    changes: [{ message, status: 'unknown', at, reason }],
    outcome: 'unknown',
  };
}
