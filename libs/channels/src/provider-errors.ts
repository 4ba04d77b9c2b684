/**
 * The longest failure reason a provider error keeps: reasons quote what an endpoint answered,
 * and a hostile or broken one must not fill the message row (or the logs) with its page.
 */
export const MAX_FAILURE_REASON_CHARS = 500;

/** `reason`, cut to `MAX_FAILURE_REASON_CHARS` with an ellipsis when longer: every adapter's errors pass through here. */
export function truncatedReason(reason: string): string {
  return reason.length <= MAX_FAILURE_REASON_CHARS ? reason : `${reason.slice(0, MAX_FAILURE_REASON_CHARS - 1)}…`;
}

/**
 * The provider could not take the message now (timeout, 5xx, throttled): try again later.
 * `retryAfterMs` is how long the provider asked us to wait (its `Retry-After`), when it said.
 */
export class ProviderTransientError extends Error {
  readonly kind = 'transient' as const;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryAfterMs?: number | undefined } = {}) {
    super(truncatedReason(message));
    this.name = 'ProviderTransientError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The provider will never take this message (bad number, blocked, rejected content): fail it. */
export class ProviderPermanentError extends Error {
  readonly kind = 'permanent' as const;
  constructor(message: string) {
    super(truncatedReason(message));
    this.name = 'ProviderPermanentError';
  }
}

export type ProviderError = ProviderTransientError | ProviderPermanentError;
