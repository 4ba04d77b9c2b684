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

/**
 * The request left and no answer came back (a timeout after sending, a connection cut while
 * waiting): the provider may or may not have taken the message. Dispatch records `unknown`
 * and retries only where that cannot send twice (an idempotency key) or where the provider's
 * `onUnknown` setting says so.
 */
export class ProviderUnknownOutcomeError extends Error {
  readonly kind = 'unknown' as const;
  readonly retryAfterMs = undefined;
  constructor(message: string) {
    super(truncatedReason(message));
    this.name = 'ProviderUnknownOutcomeError';
  }
}

export type ProviderError = ProviderTransientError | ProviderPermanentError | ProviderUnknownOutcomeError;

/** Whether `error` is one of the typed provider errors (thrown by an adapter, or from another realm's copy of them). */
export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderTransientError || error instanceof ProviderPermanentError || error instanceof ProviderUnknownOutcomeError;
}
