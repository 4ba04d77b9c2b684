import { eventually } from '@nudge/testing';
import { keepRenewing } from './lease-renewal';
import { SendLease } from './send-lease';

describe('keepRenewing', () => {
  it('renews the messages still held until stopped, then renews no more', async () => {
    const lease = new SendLease('t1', ['a', 'b'], 30_000, performance.now());
    const asked: string[][] = [];
    const renewal = keepRenewing(
      lease,
      10,
      async (token, ids) => {
        expect(token).toBe('t1');
        asked.push(ids);
        return new Set(['a']);
      },
      () => undefined,
    );
    await eventually(() => (asked.length >= 2 ? true : undefined), { timeoutMs: 2_000, intervalMs: 5 });
    await renewal.stop();
    const renewals = asked.length;
    expect(asked[0]).toEqual(['a', 'b']);
    expect(asked[1]).toEqual(['a']);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(asked).toHaveLength(renewals);
  });

  it('reports a failed renewal and keeps trying', async () => {
    const lease = new SendLease('t1', ['a'], 30_000, performance.now());
    const errors: unknown[] = [];
    const renewal = keepRenewing(
      lease,
      5,
      () => Promise.reject(new Error('database down')),
      (error) => errors.push(error),
    );
    await eventually(() => (errors.length >= 2 ? true : undefined), { timeoutMs: 2_000, intervalMs: 5 });
    await renewal.stop();
    expect(errors[0]).toEqual(new Error('database down'));
  });
});
