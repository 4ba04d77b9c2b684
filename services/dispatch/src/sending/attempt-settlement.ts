import type { StatusStamp } from '../messages/message';
import type { AttemptRecord, ClaimedMessage } from '../messages/message.store';
import type { StatusChange } from '../messages/status-change';
import type { CallResult } from './provider-calls';
import { durationToMillis } from '@nudge/timing';
import { nextRetry, type RetryPolicy } from './retry-backoff';

/** What one provider call means for its message: the row to write and the changes to publish. */
export interface Settlement {
  record: AttemptRecord;
  changes: StatusChange[];
  /** For the sends metric; `released` when the provider was not called (the lease may have run out). */
  outcome: 'sent' | 'delivered' | 'retrying' | 'failed' | 'expired' | 'released';
}

export interface SettlementContext {
  at: string;
  policy: RetryPolicy;
  /** In [0, 1): the retry jitter. */
  random: number;
  /** How long the message's provider is retried (ISO-8601, its `maxRetryAge` setting), from when dispatch took the message. */
  maxRetryAge: string;
}

/**
 * Settles one attempt: accepted → `sent` (and `delivered` when the provider confirms at
 * once, as sandbox does); permanent rejection → `failed` with the provider's reason;
 * transient rejection → back to `queued` after a backoff (at least the provider's
 * `Retry-After`), or `failed` once the next retry would fall past the provider's
 * `maxRetryAge` or the attempts are used up; past its campaign's `expireAfter` (not called)
 * → `expired`; not called (the lease may have run out before the call) → released to the
 * queue as it was, the attempt not counted.
 */
export function settleAttempt(message: ClaimedMessage, result: CallResult, context: SettlementContext): Settlement {
  const base = { id: message.id, released: false, providerMessageId: null, failureReason: null, retryInMs: null };
  if (result.outcome === 'not_called') {
    return { record: { ...base, released: true, status: 'queued', appendHistory: [] }, changes: [], outcome: 'released' };
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
  let reason = error.message;
  if (error.kind === 'transient') {
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
    if (decision.retry) {
      return {
        record: { ...base, status: 'queued', appendHistory: [], failureReason: error.message, retryInMs: decision.delayMs },
        changes: [],
        outcome: 'retrying',
      };
    }
    reason = decision.reason;
  }
  const stamp: StatusStamp = { status: 'failed', at: context.at };
  return {
    record: { ...base, status: 'failed', appendHistory: [stamp], failureReason: reason },
    changes: [{ message, ...stamp, reason }],
    outcome: 'failed',
  };
}
