/** When a transient provider failure is retried, and when it is given up. */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * The wait before retrying after failed attempt number `failedAttempt` (1-based):
 * exponential from `baseMs`, capped at `maxMs`, with "equal jitter" (between half and all
 * of it) so messages failed together do not retry together. `random` is in [0, 1).
 */
export function retryDelayMs(failedAttempt: number, policy: RetryPolicy, random: number): number {
  const exponent = Math.min(Math.max(failedAttempt - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}
