import { ProviderPermanentError, ProviderTransientError, ProviderUnknownOutcomeError, type ProviderError } from '../../provider-errors';
import { parseRetryAfter } from '../../retry-after';

/** What a provider answered: its status, its headers, and its body as text (JSON or not; see `parseJson`). */
export interface ProviderAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The wait its `Retry-After` header asks for (see parseRetryAfter), when it sent one. */
  retryAfterMs: number | undefined;
}

/**
 * The most of an answer's body any adapter reads: enough for every provider's error JSON,
 * and a hostile or broken endpoint streaming megabytes cannot fill dispatch's memory.
 */
export const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One call to a provider's HTTP API, ended by the adapter's timeout. Every adapter needs the
 * same contract, so it lives here once: any answer, whatever its status, comes back for the
 * adapter to judge with its own error codes. No answer at all throws, naming `provider`:
 * where the request surely never arrived (refused connection, DNS) a ProviderTransientError,
 * `<provider> could not be reached: <cause>`, so the message is retried rather than lost;
 * where it may have (no answer in time, the connection cut while waiting) a
 * ProviderUnknownOutcomeError, `<provider> did not answer within <timeoutMs> ms`, so dispatch
 * records `unknown` and retries only where that cannot send twice. A timeout is taken as
 * unknown even when it ran out while connecting: fetch does not say which, and guessing
 * "not sent" is what sends twice. The body is read up to `MAX_ANSWER_BYTES`.
 */
export async function callProvider(
  provider: string,
  url: string,
  init: Omit<RequestInit, 'signal'>,
  timeoutMs: number,
): Promise<ProviderAnswer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), new Date());
    return { status: response.status, headers: response.headers, text: await readCapped(response, MAX_ANSWER_BYTES), retryAfterMs };
  } catch (error) {
    throw unreachable(provider, error, timeoutMs);
  }
}

/**
 * Whether fetch gave up because `AbortSignal.timeout` fired. Read by its `name`, never by
 * instanceof: the DOMException may come from another realm than this module's classes (in
 * Jest's VM context it is not even an `Error`).
 */
export function isTimeoutError(error: unknown): boolean {
  return errorField(error, 'name') === 'TimeoutError';
}

/**
 * Throttling (429) and the provider's own failures (5xx) pass, so they are retried; any other
 * status is the provider's final word. One rule for every adapter; each adds its own codes.
 */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * The error for an answer an adapter cannot read (not JSON, not the documented shape), where
 * only the HTTP status can say whether a retry may help:
 * `<provider> answered HTTP <status> with an unreadable body`.
 */
export function unreadableAnswer(provider: string, status: number): ProviderError {
  const text = `${provider} answered HTTP ${status} with an unreadable body`;
  return isTransientStatus(status) ? new ProviderTransientError(text) : new ProviderPermanentError(text);
}

/** A provider's answer as JSON, or undefined when it is none (an HTML error page, an empty body), for the adapter's schema to refuse. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The body as text, at most `maxBytes` of it: past that the stream is cancelled, nothing more is read. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

// fetch rejects with a DOMException (a timeout) or a TypeError whose `cause` says why (ECONNREFUSED,
// ENOTFOUND, UND_ERR_SOCKET…); either may come from another realm than this module's Error, so they are read by shape.
// fetch does not say whether a timeout ran out while connecting, so a timeout counts as sent.
function unreachable(provider: string, error: unknown, timeoutMs: number): ProviderError {
  const timedOut = isTimeoutError(error);
  const cause = errorField(error, 'cause');
  const reason = String(errorField(cause, 'message') ?? errorField(error, 'message') ?? error);
  const sent = timedOut || CUT_WHILE_WAITING.has(String(errorField(cause, 'code')));
  return unansweredError(provider, { timedOut, sent, reason }, timeoutMs);
}

/** A request that got no answer: whether it ran out of time, whether all of it had left, and why it ended. */
export interface NoAnswer {
  timedOut: boolean;
  sent: boolean;
  reason: string;
}

/**
 * The provider error of a request that got no answer, in the words every adapter uses:
 * unknown once the whole request had left (`<who> did not answer within <timeoutMs> ms`, or
 * `<who> closed the connection before answering: …`), else transient (`<who> could not be
 * reached: …`, or a timeout with `(nothing was sent)`).
 */
export function unansweredError(who: string, noAnswer: NoAnswer, timeoutMs: number): ProviderError {
  if (noAnswer.timedOut) {
    const text = `${who} did not answer within ${timeoutMs} ms`;
    return noAnswer.sent ? new ProviderUnknownOutcomeError(text) : new ProviderTransientError(`${text} (nothing was sent)`);
  }
  return noAnswer.sent
    ? new ProviderUnknownOutcomeError(`${who} closed the connection before answering: ${noAnswer.reason}`)
    : new ProviderTransientError(`${who} could not be reached: ${noAnswer.reason}`);
}

/** The codes of a connection lost once the request may have been sent (undici's "other side closed", a reset). */
const CUT_WHILE_WAITING = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

function errorField(error: unknown, field: 'name' | 'message' | 'cause' | 'code'): unknown {
  return typeof error === 'object' && error !== null && field in error ? (error as Record<string, unknown>)[field] : undefined;
}
