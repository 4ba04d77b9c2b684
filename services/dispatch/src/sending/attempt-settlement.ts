import type { StatusStamp } from '../messages/message';
import type { AttemptRecord, ClaimedMessage } from '../messages/message.store';
import type { StatusChange } from '../messages/status-change';
import type { CallResult } from './provider-calls';
import { retryDelayMs, type RetryPolicy } from './retry-backoff';

/** What one provider call means for its message: the row to write and the changes to publish. */
export interface Settlement {
  record: AttemptRecord;
  changes: StatusChange[];
  /** For the sends metric; `released` when the provider was not called (the lease may have run out). */
  outcome: 'sent' | 'delivered' | 'retrying' | 'failed' | 'released';
}

export interface SettlementContext {
  at: string;
  policy: RetryPolicy;
  /** In [0, 1): the retry jitter. */
  random: number;
}

/**
 * Settles one attempt: accepted → `sent` (and `delivered` when the provider confirms at
 * once, as sandbox does); permanent rejection → `failed` with the provider's reason;
 * transient rejection → back to `queued` after a backoff, or `failed` once the attempts
 * are used up; not called (the lease may have run out before the call) → released to the
 * queue as it was, the attempt not counted.
 */
export function settleAttempt(message: ClaimedMessage, result: CallResult, context: SettlementContext): Settlement {
  const base = { id: message.id, released: false, providerMessageId: null, failureReason: null, retryInMs: null };
  if (result.outcome === 'not_called') {
    return { record: { ...base, released: true, status: 'queued', appendHistory: [] }, changes: [], outcome: 'released' };
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
  if (error.kind === 'transient' && message.attempts < context.policy.maxAttempts) {
    return {
      record: {
        ...base,
        status: 'queued',
        appendHistory: [],
        failureReason: error.message,
        retryInMs: retryDelayMs(message.attempts, context.policy, context.random),
      },
      changes: [],
      outcome: 'retrying',
    };
  }
  const reason = error.kind === 'transient' ? `gave up after ${message.attempts} attempts: ${error.message}` : error.message;
  const stamp: StatusStamp = { status: 'failed', at: context.at };
  return {
    record: { ...base, status: 'failed', appendHistory: [stamp], failureReason: reason },
    changes: [{ message, ...stamp, reason }],
    outcome: 'failed',
  };
}
