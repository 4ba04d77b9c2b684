import { retryDelayMs, type RetryPolicy } from './retry-backoff';

const policy: RetryPolicy = { maxAttempts: 6, baseMs: 1_000, maxMs: 60_000 };

describe('retryDelayMs', () => {
  it.each([
    [1, 500, 1_000],
    [2, 1_000, 2_000],
    [3, 2_000, 4_000],
    [6, 16_000, 32_000],
    [7, 30_000, 60_000],
    [50, 30_000, 60_000],
  ])('after attempt %i waits between %i and %i ms', (attempt, min, max) => {
    expect(retryDelayMs(attempt, policy, 0)).toBe(min);
    expect(retryDelayMs(attempt, policy, 0.999999)).toBe(max);
    for (const random of [0.1, 0.5, 0.9]) {
      const delay = retryDelayMs(attempt, policy, random);
      expect(delay).toBeGreaterThanOrEqual(min);
      expect(delay).toBeLessThanOrEqual(max);
    }
  });

  it('spreads retries of messages that failed together', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((random) => retryDelayMs(3, policy, random)));
    expect(delays.size).toBe(5);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(1_000, { maxAttempts: 2000, baseMs: 10_000, maxMs: 15_000 }, 0.999)).toBeLessThanOrEqual(15_000);
  });
});
