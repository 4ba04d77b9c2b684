import { ProviderTransientError, type ProviderError } from './provider-errors';

/** The longest wait a `Retry-After` may ask for that is kept as said: a day. Longer is cut to it. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * How long an HTTP `Retry-After` header asks to wait, in milliseconds: either a number of
 * seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`), measured from `now`.
 * A date already past is 0; a wait longer than `MAX_RETRY_AFTER_MS` is cut to it; an absent
 * or unreadable value (or several headers) is undefined: the retry backoff alone decides.
 */
export function parseRetryAfter(value: string | readonly string[] | null | undefined, now: Date): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - now.getTime(), 0), MAX_RETRY_AFTER_MS);
}

/**
 * `error` carrying the wait a provider asked for (`retryAfterMs`, see parseRetryAfter), when
 * it is transient and the wait is known; a permanent error or no wait leave it as it is.
 */
export function withRetryAfter(error: ProviderError, retryAfterMs: number | undefined): ProviderError {
  if (error.kind !== 'transient' || retryAfterMs === undefined) return error;
  return new ProviderTransientError(error.message, { retryAfterMs });
}
