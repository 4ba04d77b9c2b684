import { ServiceUnavailableError } from '@nudge/contracts';
import { withinDeadline } from './publish-deadline';

describe('a publish with a deadline', () => {
  it('fails as unavailable when there is no acknowledgement in time', async () => {
    const never = new Promise<void>(() => undefined);
    await expect(withinDeadline(never, 10)).rejects.toThrow(ServiceUnavailableError);
    await expect(withinDeadline(never, 10)).rejects.toThrow('no acknowledgement from Kafka within 10 ms');
  });

  it('resolves with the acknowledgement and passes a publish failure on as it is', async () => {
    await expect(withinDeadline(Promise.resolve(), 10_000)).resolves.toBeUndefined();
    const refused = new Error('Connection error: connect ECONNREFUSED');
    await expect(withinDeadline(Promise.reject(refused), 10_000)).rejects.toBe(refused);
  });

  it('leaves no rejection unhandled when the send fails after the deadline', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      let fail: (error: Error) => void = () => undefined;
      const late = new Promise<void>((_, reject) => (fail = reject));
      await expect(withinDeadline(late, 5)).rejects.toThrow(ServiceUnavailableError);
      fail(new Error('retries exhausted'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('calls afterLate once a send that missed its deadline settles, acknowledged or failed', async () => {
    for (const outcome of ['acknowledged', 'failed'] as const) {
      let settle: () => void = () => undefined;
      const late = new Promise<void>(
        (resolve, reject) => (settle = outcome === 'acknowledged' ? resolve : () => reject(new Error('lost'))),
      );
      const afterLate = jest.fn();
      await expect(withinDeadline(late, 5, afterLate)).rejects.toThrow(ServiceUnavailableError);
      expect(afterLate).not.toHaveBeenCalled();
      settle();
      await new Promise((resolve) => setImmediate(resolve));
      expect(afterLate).toHaveBeenCalledTimes(1);
    }
  });

  it('does not call afterLate for a send settled in time', async () => {
    const afterLate = jest.fn();
    await withinDeadline(Promise.resolve(), 10_000, afterLate);
    await expect(withinDeadline(Promise.reject(new Error('refused')), 10_000, afterLate)).rejects.toThrow('refused');
    await new Promise((resolve) => setImmediate(resolve));
    expect(afterLate).not.toHaveBeenCalled();
  });
});
