import { ProviderPermanentError, ProviderTransientError } from './provider-errors';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, withRetryAfter } from './retry-after';

const now = new Date('2026-11-23T10:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads a number of seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:05:00 GMT', now)).toBe(300_000);
  });

  it('reads a date already past as no wait', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('cuts a wait longer than a day to a day', () => {
    expect(parseRetryAfter('9999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it.each([[undefined], [null], [''], ['soon'], ['-5'], ['1.5'], [['1', '2']]])('ignores %p', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('withRetryAfter', () => {
  it('carries the wait on a transient error, keeping its reason', () => {
    const error = withRetryAfter(new ProviderTransientError('Twilio failed: busy'), 30_000);
    expect(error).toBeInstanceOf(ProviderTransientError);
    expect(error).toMatchObject({ kind: 'transient', message: 'Twilio failed: busy', retryAfterMs: 30_000 });
  });

  it('leaves permanent errors and unknown waits alone', () => {
    const permanent = new ProviderPermanentError('bad number');
    expect(withRetryAfter(permanent, 30_000)).toBe(permanent);
    const transient = new ProviderTransientError('busy');
    expect(withRetryAfter(transient, undefined)).toBe(transient);
  });
});
