import { nextRetry, retryDelayMs, type RetryPolicy } from './retry-backoff';

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

describe('retryDelayMs with a Retry-After', () => {
  it("waits at least what the provider asked, even past the backoff's cap", () => {
    expect(retryDelayMs(1, policy, 0, 45_000)).toBe(45_000);
    expect(retryDelayMs(10, policy, 0.999999, 120_000)).toBe(120_000);
  });

  it('keeps the backoff when the provider asked for less', () => {
    expect(retryDelayMs(3, policy, 0, 100)).toBe(2_000);
  });
});

describe('nextRetry', () => {
  const hour = 60 * 60 * 1000;
  const failure = {
    attempts: 1,
    ageMs: 0,
    maxRetryAgeMs: 24 * hour,
    maxRetryAge: 'PT24H',
    retryAfterMs: undefined,
    error: 'Twilio failed',
  };
  const longPolicy: RetryPolicy = { maxAttempts: 1_000, baseMs: 2_000, maxMs: 300_000 };

  it('keeps retrying a five-minute outage, far past six attempts, at most the cap apart', () => {
    let ageMs = 0;
    let attempts = 0;
    while (ageMs < 5 * 60 * 1000) {
      attempts += 1;
      const decision = nextRetry({ ...failure, attempts, ageMs }, longPolicy, 0.5);
      expect(decision).toMatchObject({ retry: true });
      if (!decision.retry) break;
      expect(decision.delayMs).toBeLessThanOrEqual(300_000);
      ageMs += decision.delayMs;
    }
    expect(attempts).toBeGreaterThanOrEqual(6);
  });

  it('retries for a day by default, then gives up naming maxRetryAge', () => {
    let ageMs = 0;
    let decision = nextRetry({ ...failure, ageMs }, longPolicy, 0.999);
    let attempts = 1;
    while (decision.retry && attempts < 2_000) {
      ageMs += decision.delayMs;
      attempts += 1;
      decision = nextRetry({ ...failure, attempts, ageMs }, longPolicy, 0.999);
    }
    expect(ageMs).toBeGreaterThan(23.9 * hour);
    expect(ageMs).toBeLessThanOrEqual(24 * hour);
    expect(decision).toEqual({
      retry: false,
      reason: `gave up after ${attempts} attempts (the next would be past maxRetryAge PT24H): Twilio failed`,
    });
  });

  it("honours the provider's Retry-After, and gives up when it points past maxRetryAge", () => {
    expect(nextRetry({ ...failure, retryAfterMs: 600_000 }, longPolicy, 0)).toEqual({ retry: true, delayMs: 600_000 });
    expect(nextRetry({ ...failure, ageMs: 23.9 * hour, retryAfterMs: 600_000 }, longPolicy, 0)).toMatchObject({ retry: false });
  });

  it('gives up at the attempt ceiling whatever the age', () => {
    expect(nextRetry({ ...failure, attempts: 3 }, { ...longPolicy, maxAttempts: 3 }, 0)).toEqual({
      retry: false,
      reason: 'gave up after 3 attempts: Twilio failed',
    });
  });
});
