/** How a slice whose handling throws is tried again, and when it is split. */
export interface IsolationPolicy {
  /** Tries of the whole slice before it is split (an infrastructure error does not count). */
  tries: number;
  /** The pause before the n-th retry (1-based). */
  backoffMs: (retry: number) => number;
  /** Errors that say nothing about the records (the database or broker is away): retried, never split. */
  isInfrastructure: (error: unknown) => boolean;
  /** False once the consumer is stopping or lost the partition: the last error is thrown. */
  keepGoing: () => boolean;
  sleep: (ms: number) => Promise<void>;
}

/** A record whose handling throws on its own: it goes to the DLQ with the error. */
export interface FailedRecord<R> {
  record: R;
  error: unknown;
}

/**
 * The pause before retry `n`: 0.5 s doubling to 4 s at most, as the consumers use it.
 */
export function doublingBackoff(firstMs = 500, maxMs = 4_000): (retry: number) => number {
  return (retry) => Math.min(maxMs, firstMs * 2 ** Math.max(0, retry - 1));
}

/**
 * Handles `records` with `attempt`, isolating the records that make it throw. The whole slice
 * is tried `policy.tries` times with backoff; if it still throws, it is bisected, each half
 * tried once (and split again while it throws) until the records that throw on their own are
 * found: they come back as `failed`, every other record has been handled once, in order.
 * `attempt`'s second argument is false only for the first try of the whole slice: a retry
 * should run the records alone (not grouped with other callers' records, which could carry
 * the failure). An infrastructure error is retried (backoff, then the longest pause) and
 * never splits or fails a record; when `keepGoing` turns false the error is thrown, so the
 * records handled so far are redelivered (handlers are idempotent per record).
 */
export async function handleIsolatingFailures<R, X>(
  records: R[],
  attempt: (records: R[], alone: boolean) => Promise<X[]>,
  policy: IsolationPolicy,
): Promise<{ results: X[]; failed: FailedRecord<R>[] }> {
  const results: X[] = [];
  const failed: FailedRecord<R>[] = [];
  let first = true;

  /** Tries `slice` up to `tries` times; returns the error if it still throws. */
  async function tryRecords(slice: R[], tries: number): Promise<{ error: unknown } | null> {
    let retries = 0;
    let ordinaryFailures = 0;
    for (;;) {
      try {
        results.push(...(await attempt(slice, !first)));
        first = false;
        return null;
      } catch (error) {
        first = false;
        if (!policy.isInfrastructure(error)) ordinaryFailures++;
        if (!policy.keepGoing()) throw error;
        if (ordinaryFailures >= tries) return { error };
        retries++;
        await policy.sleep(policy.backoffMs(retries));
        if (!policy.keepGoing()) throw error;
      }
    }
  }

  async function isolate(slice: R[], tries: number): Promise<void> {
    if (slice.length === 0) return;
    const outcome = await tryRecords(slice, tries);
    if (outcome === null) return;
    if (slice.length === 1) {
      failed.push({ record: slice[0] as R, error: outcome.error });
      return;
    }
    const middle = Math.ceil(slice.length / 2);
    await isolate(slice.slice(0, middle), 1);
    await isolate(slice.slice(middle), 1);
  }

  await isolate(records, policy.tries);
  return { results, failed };
}

/** Postgres SQLSTATEs (and classes) that are about the server, not the records. */
const INFRASTRUCTURE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '53000', '53100', '53200', '40001', '40P01', '55P03']);
const INFRASTRUCTURE_SQLSTATE_CLASSES = ['08'];
const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const KAFKAJS_TRANSIENT = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSTimeout',
  'KafkaJSLockTimeout',
  'KafkaJSBrokerNotFound',
]);
const INFRASTRUCTURE_MESSAGES = [
  /connection terminated/i,
  /connection refused/i,
  /timeout exceeded when trying to connect/i,
  /terminating connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /Client has encountered a connection error/i,
  /Connection is not established/i,
  /is not currently accepting connections/i,
  /too many clients/i,
];

/**
 * Whether `error` says the database or the broker is unavailable or contended (connection
 * refused or terminated, Postgres 08xxx, 57P0x, 53xxx, 40001 serialization, 40P01 deadlock,
 * a lock timeout, a retriable or connection-level kafkajs error), looking through `cause` and
 * TypeORM's `driverError`. Such an error is no reason to dead-letter a record.
 */
export function isInfrastructureError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; retriable?: unknown; cause?: unknown; driverError?: unknown };
  if (typeof e.code === 'string') {
    if (INFRASTRUCTURE_SQLSTATES.has(e.code) || NODE_NETWORK_CODES.has(e.code)) return true;
    if (/^[0-9A-Z]{5}$/.test(e.code) && INFRASTRUCTURE_SQLSTATE_CLASSES.some((c) => (e.code as string).startsWith(c))) return true;
  }
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS') && (e.retriable === true || KAFKAJS_TRANSIENT.has(e.name))) return true;
  if (typeof e.message === 'string' && INFRASTRUCTURE_MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  return isInfrastructureError(e.driverError, depth + 1) || isInfrastructureError(e.cause, depth + 1);
}
