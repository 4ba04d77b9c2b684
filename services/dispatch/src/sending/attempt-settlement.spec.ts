import { ProviderPermanentError, ProviderTransientError, ProviderUnknownOutcomeError } from '@nudge/channels';
import type { ClaimedMessage } from '../messages/message.store';
import { settleAttempt, type SettlementContext } from './attempt-settlement';

const at = '2026-11-23T10:30:00.000Z';
const retried = { retry: true, why: 'retried: smsapi takes an idempotency key' };
const notRetried = { retry: false, why: 'not retried (onUnknown: fail)' };
const context: SettlementContext = {
  at,
  policy: { maxAttempts: 3, baseMs: 1_000, maxMs: 60_000 },
  random: 0,
  maxRetryAge: 'PT24H',
  onUnknown: notRetried,
};

function aClaimedMessage(attempts = 1, createdAt = at): ClaimedMessage {
  return {
    id: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
    sendId: 'snd_1',
    campaignId: 'c1',
    category: 'marketing',
    campaignVersion: 1,
    stepId: 'main',
    userId: 'u1',
    triggerEventId: 'e1',
    channel: 'sms',
    provider: 'sandbox',
    recipient: '+34600000001',
    body: 'Hi',
    segments: 1,
    status: 'queued',
    statusHistory: [{ status: 'queued', at }],
    failureReason: null,
    providerMessageId: null,
    attempts,
    createdAt,
    sender: null,
    subject: null,
    decidedAt: createdAt,
    expireAfter: null,
  };
}

describe('settleAttempt', () => {
  it('a message the provider delivers at once records sent then delivered', () => {
    const settlement = settleAttempt(aClaimedMessage(), { outcome: 'accepted', status: 'delivered', providerMessageId: 'p1' }, context);
    expect(settlement.record).toMatchObject({
      status: 'delivered',
      appendHistory: [
        { status: 'sent', at },
        { status: 'delivered', at },
      ],
      providerMessageId: 'p1',
      retryInMs: null,
    });
    expect(settlement.changes.map((c) => c.status)).toEqual(['sent', 'delivered']);
  });

  it('a message the provider only accepts is sent', () => {
    const settlement = settleAttempt(aClaimedMessage(), { outcome: 'accepted', status: 'sent', providerMessageId: 'p1' }, context);
    expect(settlement.record.status).toBe('sent');
    expect(settlement.changes.map((c) => c.status)).toEqual(['sent']);
  });

  it('a transient failure goes back to the queue after a backoff, publishing nothing', () => {
    const settlement = settleAttempt(aClaimedMessage(2), { outcome: 'rejected', error: new ProviderTransientError('503') }, context);
    expect(settlement.record).toMatchObject({
      status: 'queued',
      appendHistory: [],
      failureReason: '503',
      retryInMs: 1_000,
      released: false,
    });
    expect(settlement.changes).toEqual([]);
    expect(settlement.outcome).toBe('retrying');
  });

  it('a transient failure on the last attempt fails the message, saying why', () => {
    const settlement = settleAttempt(aClaimedMessage(3), { outcome: 'rejected', error: new ProviderTransientError('503') }, context);
    expect(settlement.record).toMatchObject({ status: 'failed', failureReason: 'gave up after 3 attempts: 503', retryInMs: null });
    expect(settlement.changes).toEqual([expect.objectContaining({ status: 'failed', reason: 'gave up after 3 attempts: 503' })]);
  });

  it('an unknown outcome the verdict retries goes back to the queue with an unknown stamp saying why, publishing nothing', () => {
    const error = new ProviderUnknownOutcomeError('Twilio did not answer within 10000 ms');
    const settlement = settleAttempt(aClaimedMessage(1), { outcome: 'rejected', error }, { ...context, onUnknown: retried });
    expect(settlement.record).toMatchObject({
      status: 'queued',
      retryInMs: 500,
      failureReason: 'Twilio did not answer within 10000 ms',
      appendHistory: [{ status: 'unknown', at, reason: 'Twilio did not answer within 10000 ms; retried: smsapi takes an idempotency key' }],
    });
    expect(settlement.changes).toEqual([]);
    expect(settlement.outcome).toBe('retrying');
  });

  it('an unknown outcome the verdict does not retry ends unknown, never failed, with its change', () => {
    const error = new ProviderUnknownOutcomeError('Twilio did not answer within 10000 ms');
    const settlement = settleAttempt(aClaimedMessage(1), { outcome: 'rejected', error }, context);
    const reason = 'Twilio did not answer within 10000 ms; not retried (onUnknown: fail)';
    expect(settlement.record).toMatchObject({
      status: 'unknown',
      failureReason: reason,
      retryInMs: null,
      appendHistory: [{ status: 'unknown', at, reason }],
    });
    expect(settlement.changes).toEqual([expect.objectContaining({ status: 'unknown', at, reason })]);
    expect(settlement.outcome).toBe('unknown');
  });

  it('an unknown outcome on the last attempt ends unknown, not failed: it may have arrived', () => {
    const error = new ProviderUnknownOutcomeError('Twilio did not answer within 10000 ms');
    const settlement = settleAttempt(aClaimedMessage(3), { outcome: 'rejected', error }, { ...context, onUnknown: retried });
    expect(settlement.record).toMatchObject({
      status: 'unknown',
      failureReason: 'gave up after 3 attempts: Twilio did not answer within 10000 ms',
    });
    expect(settlement.outcome).toBe('unknown');
  });

  it("a transient failure waits at least the provider's Retry-After", () => {
    const error = new ProviderTransientError('503', { retryAfterMs: 90_000 });
    const settlement = settleAttempt(aClaimedMessage(1), { outcome: 'rejected', error }, context);
    expect(settlement.record).toMatchObject({ status: 'queued', retryInMs: 90_000 });
  });

  it("a transient failure whose next retry would fall past the provider's maxRetryAge fails the message, saying so", () => {
    const settlement = settleAttempt(
      aClaimedMessage(1, '2026-11-23T09:30:00.000Z'),
      { outcome: 'rejected', error: new ProviderTransientError('503') },
      { ...context, maxRetryAge: 'PT1H' },
    );
    expect(settlement.record).toMatchObject({
      status: 'failed',
      failureReason: 'gave up after 1 attempts (the next would be past maxRetryAge PT1H): 503',
    });
    expect(settlement.outcome).toBe('failed');
  });

  it('a message past its expireAfter is expired, not sent, with its status change', () => {
    const settlement = settleAttempt(aClaimedMessage(1), { outcome: 'expired', expireAfter: 'PT1H' }, context);
    expect(settlement.record).toMatchObject({
      status: 'expired',
      appendHistory: [{ status: 'expired', at }],
      failureReason: 'not sent within its expireAfter (PT1H)',
      retryInMs: null,
    });
    expect(settlement.changes).toEqual([
      expect.objectContaining({ status: 'expired', at, reason: 'not sent within its expireAfter (PT1H)' }),
    ]);
    expect(settlement.outcome).toBe('expired');
  });

  it('a permanent failure fails the message at once with the provider reason', () => {
    const settlement = settleAttempt(
      aClaimedMessage(1),
      { outcome: 'rejected', error: new ProviderPermanentError('invalid number') },
      context,
    );
    expect(settlement.record).toMatchObject({
      status: 'failed',
      appendHistory: [{ status: 'failed', at }],
      failureReason: 'invalid number',
    });
    expect(settlement.outcome).toBe('failed');
  });

  it('a call held by an open circuit breaker goes back to the queue until the probe, its attempt not counted', () => {
    const settlement = settleAttempt(aClaimedMessage(2), { outcome: 'held', retryInMs: 25_000 }, context);
    expect(settlement.record).toMatchObject({ status: 'queued', released: true, appendHistory: [], retryInMs: 25_000 });
    expect(settlement.changes).toEqual([]);
    expect(settlement.outcome).toBe('held');
  });

  it('a message not called goes back to the queue as it was, publishing nothing', () => {
    const settlement = settleAttempt(aClaimedMessage(2), { outcome: 'not_called' }, context);
    expect(settlement.record).toMatchObject({ status: 'queued', released: true, appendHistory: [], retryInMs: null });
    expect(settlement.changes).toEqual([]);
    expect(settlement.outcome).toBe('released');
  });
});
