import { HttpException, PayloadTooLargeException } from '@nestjs/common';
import { ServiceUnavailableError } from '@nudge/contracts';

/** Kafka refuses these whatever we retry: the request itself is too big. */
const TOO_LARGE_FOR_KAFKA = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
/**
 * Node socket errors and SQLSTATEs that mean "Postgres cannot answer now": unreachable, out of
 * connections (53300), or past a request's deadline (57014 statement_timeout, 55P03 lock_timeout).
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '53300',
  '57014',
  '55P03',
]);
const UNREACHABLE_SQLSTATE = /^(08|57P)/;
const UNREACHABLE_MESSAGE = /timeout exceeded when trying to connect|connection terminated/i;

/**
 * What a failed Kafka publish means to the client: a record too large for the broker
 * is its problem (413); anything else is Kafka being unavailable (503, retry).
 */
export function publishFailure(error: unknown, what: string): Error {
  if (chain(error).some((e) => TOO_LARGE_FOR_KAFKA.has(String(e.type)))) {
    return new PayloadTooLargeException(`${what} is larger than the broker accepts for one partition; send fewer or smaller items`);
  }
  return new ServiceUnavailableError(`Kafka did not acknowledge ${what} (${messageOf(error)}); retry the request unchanged`, {
    cause: error,
  });
}

/** The error to answer with when Postgres cannot be reached (503); any other error as it is. */
export function databaseFailure(error: unknown): unknown {
  if (error instanceof HttpException || error instanceof ServiceUnavailableError) return error;
  const unreachable = chain(error).some(
    (e) =>
      UNREACHABLE_CODES.has(String(e.code)) ||
      UNREACHABLE_SQLSTATE.test(String(e.code ?? '')) ||
      UNREACHABLE_MESSAGE.test(String(e.message ?? '')),
  );
  return unreachable
    ? new ServiceUnavailableError(`the database is unavailable (${messageOf(error)}); retry the request`, { cause: error })
    : error;
}

interface ErrorLike {
  type?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  driverError?: unknown;
}

/** An error and what it wraps (kafkajs `cause`, TypeORM `driverError`). */
function chain(error: unknown): ErrorLike[] {
  const found: ErrorLike[] = [];
  const pending = [error];
  while (pending.length > 0 && found.length < 10) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null || found.includes(next as ErrorLike)) continue;
    const e = next as ErrorLike;
    found.push(e);
    pending.push(e.cause, e.driverError);
  }
  return found;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
