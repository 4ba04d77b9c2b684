import { HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import { ServiceUnavailableError } from '@nudge/contracts';
import { databaseFailure, publishFailure } from './infrastructure-failures';

class KafkaLikeError extends Error {
  constructor(
    message: string,
    readonly type?: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

describe('a failed publish', () => {
  it('is Kafka being unavailable (503) when the broker cannot be reached', () => {
    expect(publishFailure(new KafkaLikeError('Connection error: connect ECONNREFUSED'), '3 events')).toBeInstanceOf(
      ServiceUnavailableError,
    );
  });

  it('is the request being too large (413) when the broker refuses the record size, even wrapped', () => {
    const wrapped = new KafkaLikeError('retries exceeded', undefined, new KafkaLikeError('too large', 'MESSAGE_TOO_LARGE'));
    const failure = publishFailure(wrapped, '3 events');
    expect(failure).toBeInstanceOf(PayloadTooLargeException);
    expect((failure as PayloadTooLargeException).getStatus()).toBe(HttpStatus.PAYLOAD_TOO_LARGE);
  });
});

describe('a database error', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'a server shutting down (SQLSTATE 57P01)',
      Object.assign(new Error('query failed'), { driverError: { code: '57P01', message: 'terminating connection' } }),
    ],
    [
      'a statement past the request deadline (SQLSTATE 57014)',
      Object.assign(new Error('canceling statement due to statement timeout'), { driverError: { code: '57014' } }),
    ],
    ['a lock not granted in time (SQLSTATE 55P03)', Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' })],
  ])('is the database being unavailable (503) for %s', (_case, error) => {
    expect(databaseFailure(error)).toBeInstanceOf(ServiceUnavailableError);
  });

  it('stays what it is when it is a bug, not an outage', () => {
    const bug = Object.assign(new Error('column "x" does not exist'), { code: '42703' });
    expect(databaseFailure(bug)).toBe(bug);
  });
});
