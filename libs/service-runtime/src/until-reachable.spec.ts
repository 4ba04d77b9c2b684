import { untilReachable } from './until-reachable';

/** A clock that only moves when the code under test sleeps, and an attempt that costs `costMs` each. */
function aWorld(costMs: number) {
  let clock = 0;
  return {
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
    attempt: (outcomes: (Error | string)[]) => async () => {
      clock += costMs;
      const next = outcomes.shift();
      if (next instanceof Error || next === undefined) throw next ?? new Error('still down');
      return next;
    },
  };
}

describe('untilReachable', () => {
  it('tries again after each failure, telling how long it has waited, until the attempt succeeds', async () => {
    const world = aWorld(1_000);
    const retries: [string, number][] = [];
    const result = await untilReachable(world.attempt([new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), 'connected']), {
      what: 'Kafka at localhost:9092',
      timeoutMs: 60_000,
      pauseMs: 2_000,
      onRetry: (error, waited) => retries.push([(error as Error).message, waited]),
      now: world.now,
      sleep: world.sleep,
    });
    expect(result).toBe('connected');
    expect(retries).toEqual([
      ['ECONNREFUSED', 1_000],
      ['ECONNREFUSED', 4_000],
    ]);
  });

  it('gives up once the deadline has passed, naming what it waited for and the last error', async () => {
    const world = aWorld(10_000);
    const outcomes = Array.from({ length: 100 }, (_, i) => new Error(`refused #${i + 1}`));
    await expect(
      untilReachable(world.attempt(outcomes), {
        what: 'Kafka at localhost:9092',
        timeoutMs: 30_000,
        onRetry: () => undefined,
        now: world.now,
        sleep: world.sleep,
      }),
    ).rejects.toThrow('Kafka at localhost:9092 was not reachable within 30 s: refused #3');
  });
});
