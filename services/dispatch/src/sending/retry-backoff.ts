/** When a transient provider failure is retried, and when it is given up. */
export interface RetryPolicy {
  /** A ceiling of provider calls per message; the usual bound is the provider's `maxRetryAge`. */
  maxAttempts: number;
  baseMs: number;
  /** The longest backoff between two calls (a provider's `Retry-After` may ask for longer). */
  maxMs: number;
}

/** How long a provider's messages are retried when no `maxRetryAge` is set: a day. */
export const DEFAULT_MAX_RETRY_AGE = 'PT24H';

/**
 * The wait before retrying after failed attempt number `failedAttempt` (1-based):
 * exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (between half and all
 * of it) so messages failed together do not retry together. `random` is in [0, 1). When the
 * provider said how long to wait (`retryAfterMs`, its `Retry-After`), the wait is at least that.
 */
export function retryDelayMs(failedAttempt: number, policy: RetryPolicy, random: number, retryAfterMs?: number): number {
  const exponent = Math.min(Math.max(failedAttempt - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const backoff = Math.round(ceiling / 2 + (random * ceiling) / 2);
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** What to do after a transient failure: retry in `delayMs`, or give up saying why. */
export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** One message's transient failure, as `nextRetry` weighs it. */
export interface TransientFailure {
  /** Attempts made so far, this one included. */
  attempts: number;
  /** How long ago the message was taken (ms). */
  ageMs: number;
  /** The provider's `maxRetryAge` (ms) and its ISO-8601 text, for the reason. */
  maxRetryAgeMs: number;
  maxRetryAge: string;
  retryAfterMs: number | undefined;
  error: string;
}

/**
 * Retry after the backoff (or the provider's `Retry-After`, when longer) while the next call
 * still falls within the provider's `maxRetryAge` of the message's first being taken, and the
 * attempt ceiling is not reached; otherwise give up, saying which bound ended it.
 */
export function nextRetry(failure: TransientFailure, policy: RetryPolicy, random: number): RetryDecision {
  const given = `gave up after ${failure.attempts} attempts`;
  if (failure.attempts >= policy.maxAttempts) return { retry: false, reason: `${given}: ${failure.error}` };
  const delayMs = retryDelayMs(failure.attempts, policy, random, failure.retryAfterMs);
  if (failure.ageMs + delayMs > failure.maxRetryAgeMs) {
    return { retry: false, reason: `${given} (the next would be past maxRetryAge ${failure.maxRetryAge}): ${failure.error}` };
  }
  return { retry: true, delayMs };
}
