import { sendThrough, type ChannelProvider } from './channel-provider';
import type { OutboundMessage } from './outbound-message';
import { ProviderPermanentError, ProviderTransientError } from './provider-errors';
import { SandboxProvider } from './sandbox/sandbox.provider';

const message: OutboundMessage = {
  messageId: 'm-1',
  channel: 'sms',
  to: '+34600000001',
  body: 'Hi',
  attempt: 1,
  category: 'marketing',
  campaignId: 'c',
  now: new Date('2026-11-24T10:00:00Z'),
};
const throwing = (error: unknown): ChannelProvider => ({
  name: 'flaky',
  capabilities: { idempotencyKey: false },
  send: async () => {
    throw error;
  },
});

describe('sendThrough', () => {
  it('sandbox accepts every message as delivered, with a provider id stable across retries', async () => {
    const sandbox = new SandboxProvider();
    const first = await sendThrough(sandbox, message);
    const retry = await sendThrough(sandbox, { ...message, attempt: 2 });
    expect(first).toEqual({ outcome: 'accepted', status: 'delivered', providerMessageId: 'sbx-m-1' });
    expect(retry).toEqual(first);
  });

  it('sandbox rejects a #fail test address for good', async () => {
    const result = await sendThrough(new SandboxProvider(), { ...message, to: '+34600000001#fail' });
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'permanent', message: 'sandbox rejects +34600000001#fail' } });
  });

  it('sandbox fails a #retry-N test address transiently on its first N attempts', async () => {
    const sandbox = new SandboxProvider();
    const to = '+34600000001#retry-2';
    const outcomes = [];
    for (const attempt of [1, 2, 3]) outcomes.push(await sendThrough(sandbox, { ...message, to, attempt }));
    expect(outcomes.map((o) => (o.outcome === 'rejected' ? o.error.kind : o.status))).toEqual(['transient', 'transient', 'delivered']);
  });

  it('passes a typed provider error on as the rejection', async () => {
    const permanent = new ProviderPermanentError('invalid number');
    expect(await sendThrough(throwing(permanent), message)).toEqual({ outcome: 'rejected', error: permanent });
  });

  it('turns an unexpected error into a transient rejection, so the message is retried', async () => {
    const result = await sendThrough(throwing(new Error('socket hang up')), message);
    expect(result.outcome).toBe('rejected');
    const error = result.outcome === 'rejected' ? result.error : undefined;
    expect(error).toBeInstanceOf(ProviderTransientError);
    expect(error?.message).toBe('flaky failed unexpectedly: socket hang up');
  });
});
