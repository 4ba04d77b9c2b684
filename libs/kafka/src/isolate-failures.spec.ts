import { doublingBackoff, handleIsolatingFailures, isInfrastructureError, type IsolationPolicy } from './isolate-failures';

/** A handler that throws for any slice holding a poisoned record, and records what it handled. */
function handlerPoisonedBy(poison: Set<number>, error: () => unknown = () => new Error('violates a constraint')) {
  const handled: number[] = [];
  const calls: { records: number[]; alone: boolean }[] = [];
  const attempt = async (records: number[], alone: boolean) => {
    calls.push({ records, alone });
    if (records.some((r) => poison.has(r))) throw error();
    handled.push(...records);
    return [];
  };
  return { attempt, handled, calls };
}

function policy(overrides: Partial<IsolationPolicy> = {}): IsolationPolicy & { pauses: number[] } {
  const pauses: number[] = [];
  return {
    tries: 3,
    backoffMs: doublingBackoff(),
    isInfrastructure: isInfrastructureError,
    keepGoing: () => true,
    sleep: async (ms) => {
      pauses.push(ms);
    },
    pauses,
    ...overrides,
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('handleIsolatingFailures', () => {
  it('handles a slice that succeeds once, grouped, without pauses', async () => {
    const { attempt, calls } = handlerPoisonedBy(new Set());
    const p = policy();
    const outcome = await handleIsolatingFailures(range(4), attempt, p);
    expect(outcome.failed).toEqual([]);
    expect(calls).toEqual([{ records: [0, 1, 2, 3], alone: false }]);
    expect(p.pauses).toEqual([]);
  });

  it('isolates one poisoned record of many and handles every other record once, in order', async () => {
    const { attempt, handled } = handlerPoisonedBy(new Set([5]));
    const outcome = await handleIsolatingFailures(range(10), attempt, policy());
    expect(outcome.failed.map((f) => f.record)).toEqual([5]);
    expect((outcome.failed[0]?.error as Error).message).toBe('violates a constraint');
    expect(handled).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
  });

  it('isolates several poisoned records, including the first and the last', async () => {
    const { attempt, handled } = handlerPoisonedBy(new Set([0, 6, 7, 15]));
    const outcome = await handleIsolatingFailures(range(16), attempt, policy());
    expect(outcome.failed.map((f) => f.record)).toEqual([0, 6, 7, 15]);
    expect(handled).toEqual(range(16).filter((r) => ![0, 6, 7, 15].includes(r)));
  });

  it('tries the whole slice three times with growing pauses before splitting, and retries alone', async () => {
    const { attempt, calls } = handlerPoisonedBy(new Set([1]));
    const p = policy();
    await handleIsolatingFailures(range(2), attempt, p);
    expect(calls.slice(0, 3)).toEqual([
      { records: [0, 1], alone: false },
      { records: [0, 1], alone: true },
      { records: [0, 1], alone: true },
    ]);
    expect(calls.slice(3)).toEqual([
      { records: [0], alone: true },
      { records: [1], alone: true },
    ]);
    expect(p.pauses).toEqual([500, 1000]);
  });

  it('handles a slice whose failure was transient without splitting it', async () => {
    let failures = 1;
    const handled: number[][] = [];
    const outcome = await handleIsolatingFailures(
      range(3),
      async (records) => {
        if (failures-- > 0) throw new Error('flaky');
        handled.push(records);
        return [];
      },
      policy(),
    );
    expect(outcome.failed).toEqual([]);
    expect(handled).toEqual([[0, 1, 2]]);
  });

  it('keeps retrying an infrastructure error without splitting or failing a record, pauses capped at 4 s', async () => {
    let outage = 8;
    const calls: number[][] = [];
    const p = policy();
    const outcome = await handleIsolatingFailures(
      range(4),
      async (records) => {
        calls.push(records);
        if (outage-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return [];
      },
      p,
    );
    expect(outcome.failed).toEqual([]);
    expect(calls.every((c) => c.length === 4)).toBe(true);
    expect(calls).toHaveLength(9);
    expect(p.pauses).toEqual([500, 1000, 2000, 4000, 4000, 4000, 4000, 4000]);
  });

  it('throws the error when the consumer stops while a slice keeps failing', async () => {
    let running = 2;
    const p = policy({ keepGoing: () => running-- > 0 });
    const { attempt } = handlerPoisonedBy(new Set([0]), () => Object.assign(new Error('terminating connection'), { code: '57P01' }));
    await expect(handleIsolatingFailures(range(2), attempt, p)).rejects.toThrow('terminating connection');
  });

  it('returns what the handler returned for the slices it handled', async () => {
    const outcome = await handleIsolatingFailures(
      range(4),
      async (records) => {
        if (records.includes(2)) throw new Error('bad');
        return records.filter((r) => r === 3).map((r) => `rejected ${r}`);
      },
      policy(),
    );
    expect(outcome.results).toEqual(['rejected 3']);
    expect(outcome.failed.map((f) => f.record)).toEqual([2]);
  });
});

describe('isInfrastructureError', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['an admin shutdown (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection exception (08006)', Object.assign(new Error('x'), { code: '08006' })],
    ['too many connections (53300)', Object.assign(new Error('sorry, too many clients already'), { code: '53300' })],
    ['a serialization failure (40001)', Object.assign(new Error('could not serialize'), { code: '40001' })],
    [
      'a database closed to connections',
      Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000' }),
    ],
    ['a deadlock (40P01)', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a TypeORM error wrapping one', Object.assign(new Error('query failed'), { driverError: { code: '40P01' } })],
    ['an error caused by one', new Error('evaluation failed', { cause: Object.assign(new Error('x'), { code: '57P03' }) })],
    ['a retriable kafkajs error', Object.assign(new Error('leader not available'), { name: 'KafkaJSProtocolError', retriable: true })],
    ['kafkajs giving up on retries', Object.assign(new Error('gave up'), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: false })],
  ])('counts %s', (_, error) => {
    expect(isInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['a date out of range (22008)', Object.assign(new Error('date/time field value out of range'), { code: '22008' })],
    ['a unique violation (23505)', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['an unsupported escape (22P05)', Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' })],
    ['a plain error', new Error('Cannot read properties of undefined')],
    ['a non-retriable kafkajs error', Object.assign(new Error('too large'), { name: 'KafkaJSProtocolError', retriable: false })],
    ['a string', 'boom'],
  ])('does not count %s', (_, error) => {
    expect(isInfrastructureError(error)).toBe(false);
  });
});
