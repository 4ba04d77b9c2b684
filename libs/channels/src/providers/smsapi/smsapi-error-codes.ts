import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import { unreadableAnswer } from '../shared/provider-http';

/** SMSAPI's refusal of a repeated `idx` with `check_idx=1`: the message was already taken. */
export const SMSAPI_DUPLICATE_IDX = 53;

/** SMSAPI's error answer; `error` is a number, or a word (`invalid_token`) when the bearer token is refused. */
export interface SmsapiRefusal {
  error: number | string;
  message: string;
}

/**
 * SMSAPI `error` codes that may pass: "error in request (please report)", too many messages
 * to one number within 60 s, unsuccessful submission, internal errors, throttling, and the
 * short-link service being down.
 */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([8, 52, 200, 201, 202, 203, 998, 999]);

/**
 * The error for an SMSAPI refusal `{ error, message }` answered with HTTP `status`. The
 * passing codes above, throttling (429) and server errors (5xx) are retried; every other
 * documented code is for good: bad number (13), sender name (14), content (11), blacklist
 * (57, 59), and account problems (101 auth, 103 credits, 105 IP filter), which need a person.
 */
export function smsapiRefusal(status: number, refusal: SmsapiRefusal | undefined): ProviderError {
  if (!refusal) return unreadableAnswer('SMSAPI', status);
  const text = `${refusal.message} (error ${refusal.error})`;
  if ((typeof refusal.error === 'number' && TRANSIENT_CODES.has(refusal.error)) || status === 429)
    return new ProviderTransientError(`SMSAPI is busy: ${text}`);
  if (status >= 500) return new ProviderTransientError(`SMSAPI failed: ${text}`);
  return new ProviderPermanentError(`SMSAPI refused the message: ${text}`);
}
