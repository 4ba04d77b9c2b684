import { ProviderRegistry, type ChannelProvider, type OutboundMessage, type SendResult } from '@nudge/channels';
import type { ClaimedMessage } from '../messages/message.store';
import { callProviders } from './provider-calls';
import { ProviderBreakers } from './provider-breakers';

function claimed(id: string, provider = 'slow'): ClaimedMessage {
  const at = '2026-11-23T10:00:00.000Z';
  return {
    id,
    sendId: `snd_${id}`,
    campaignId: 'c1',
    category: 'marketing',
    campaignVersion: 1,
    stepId: 'main',
    userId: 'u1',
    triggerEventId: 'e1',
    channel: 'sms',
    provider,
    recipient: '+34600000001',
    body: `body ${id}`,
    segments: 1,
    status: 'queued',
    statusHistory: [{ status: 'queued', at }],
    failureReason: null,
    providerMessageId: null,
    attempts: 2,
    createdAt: at,
    sender: 'ACME',
    subject: null,
    decidedAt: at,
    expireAfter: null,
  };
}

const now = new Date('2026-11-24T10:00:00.000Z');
const context = {
  now,
  lastInboundAt: () => undefined,
  mayCall: () => true,
  throughBreaker: (_provider: string, send: () => Promise<SendResult>) => send(),
};

describe('callProviders', () => {
  it('keeps at most `concurrency` calls in flight and answers in the order of the messages', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const seen: OutboundMessage[] = [];
    const slow: ChannelProvider = {
      name: 'slow',
      capabilities: { idempotencyKey: false },
      send: async (message) => {
        seen.push(message);
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, Number(message.messageId) % 3));
        inFlight--;
        return { outcome: 'accepted', status: 'sent', providerMessageId: `p-${message.messageId}` };
      },
    };
    const registry = ProviderRegistry.fromSettings({ sms: { provider: 'slow' } }, { sandbox: () => slow, slow: () => slow });
    const messages = Array.from({ length: 20 }, (_, i) => claimed(String(i)));

    const results = await callProviders(messages, registry, 4, context);

    expect(mostInFlight).toBe(4);
    expect(results.map((r) => (r.outcome === 'accepted' ? r.providerMessageId : null))).toEqual(messages.map((m) => `p-${m.id}`));
    expect(seen.find((m) => m.messageId === '3')).toEqual({
      messageId: '3',
      channel: 'sms',
      to: '+34600000001',
      body: 'body 3',
      sender: 'ACME',
      attempt: 2,
      category: 'marketing',
      campaignId: 'c1',
      now,
    });
  });

  it('fails a message whose provider is no longer configured', async () => {
    const [result] = await callProviders([claimed('1', 'gone')], ProviderRegistry.fromSettings(), 4, context);
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'permanent', message: 'provider "gone" is not configured' } });
  });

  it('tells providers with a session window when the recipient last wrote, and no one else', async () => {
    const seen: OutboundMessage[] = [];
    const provider = (name: string, sessionWindowHours?: number): ChannelProvider => ({
      name,
      capabilities: { idempotencyKey: false, ...(sessionWindowHours === undefined ? {} : { sessionWindowHours }) },
      send: async (message) => {
        seen.push(message);
        return { outcome: 'accepted', status: 'sent', providerMessageId: `p-${message.messageId}` };
      },
    });
    const registry = ProviderRegistry.fromSettings(
      { whatsapp: { provider: 'wa' }, sms: { provider: 'plain' } },
      { sandbox: () => provider('sandbox'), wa: () => provider('wa', 24), plain: () => provider('plain') },
    );
    const wrote = new Date('2026-11-24T08:00:00.000Z');
    await callProviders([claimed('1', 'wa'), claimed('2', 'plain')], registry, 4, { ...context, lastInboundAt: () => wrote });
    expect(seen.find((m) => m.messageId === '1')?.lastInboundAt).toEqual(wrote);
    expect(seen.find((m) => m.messageId === '2')).not.toHaveProperty('lastInboundAt');
  });

  it('gives marketing messages their unsubscribe link, transactional ones none', async () => {
    const seen: OutboundMessage[] = [];
    const provider: ChannelProvider = {
      name: 'mail',
      capabilities: { idempotencyKey: false },
      send: async (message) => {
        seen.push(message);
        return { outcome: 'accepted', status: 'sent', providerMessageId: `p-${message.messageId}` };
      },
    };
    const registry = ProviderRegistry.fromSettings({ email: { provider: 'mail' } }, { sandbox: () => provider, mail: () => provider });
    const unsubscribeLink = (m: ClaimedMessage) => ({ url: `https://nudge.example/u/t-${m.id}`, token: `t-${m.id}` });
    const receipt = { ...claimed('2', 'mail'), category: 'transactional' as const };
    await callProviders([claimed('1', 'mail'), receipt], registry, 1, { ...context, unsubscribeLink });
    expect(seen.find((m) => m.messageId === '1')?.unsubscribe).toEqual({ url: 'https://nudge.example/u/t-1', token: 't-1' });
    expect(seen.find((m) => m.messageId === '2')).not.toHaveProperty('unsubscribe');
  });

  it('starts no call for a message whose lease the batch may have lost', async () => {
    const seen: string[] = [];
    const provider: ChannelProvider = {
      name: 'slow',
      capabilities: { idempotencyKey: false },
      send: async (message) => {
        seen.push(message.messageId);
        return { outcome: 'accepted', status: 'sent', providerMessageId: `p-${message.messageId}` };
      },
    };
    const registry = ProviderRegistry.fromSettings({ sms: { provider: 'slow' } }, { sandbox: () => provider, slow: () => provider });
    const results = await callProviders([claimed('1'), claimed('2')], registry, 1, { ...context, mayCall: (m) => m.id !== '2' });
    expect(seen).toEqual(['1']);
    expect(results[1]).toEqual({ outcome: 'not_called' });
  });
});

describe('callProviders and expireAfter', () => {
  it('starts no call for a message past its expireAfter at the batch time', async () => {
    const seen: string[] = [];
    const provider: ChannelProvider = {
      name: 'slow',
      capabilities: { idempotencyKey: false },
      send: async (message) => {
        seen.push(message.messageId);
        return { outcome: 'accepted', status: 'sent', providerMessageId: `p-${message.messageId}` };
      },
    };
    const registry = ProviderRegistry.fromSettings({ sms: { provider: 'slow' } }, { sandbox: () => provider, slow: () => provider });
    // Decided a day before the batch: PT1H has passed, P2D has not.
    const results = await callProviders(
      [
        { ...claimed('1'), expireAfter: 'PT1H' },
        { ...claimed('2'), expireAfter: 'P2D' },
      ],
      registry,
      1,
      context,
    );
    expect(seen).toEqual(['2']);
    expect(results[0]).toEqual({ outcome: 'expired', expireAfter: 'PT1H' });
  });
});

describe('callProviders and circuit breakers', () => {
  it("holds the rest of a batch once its provider's breaker opens: no more calls to a provider that is down", async () => {
    let calls = 0;
    const provider: ChannelProvider = {
      name: 'down',
      capabilities: { idempotencyKey: false },
      send: async () => {
        calls += 1;
        throw new Error('connect ECONNREFUSED 127.0.0.1:1');
      },
    };
    const registry = ProviderRegistry.fromSettings({ sms: { provider: 'down' } }, { sandbox: () => provider, down: () => provider });
    const breakers = new ProviderBreakers({ failures: 3, probeAfterMs: 60_000 });
    const batch = ['1', '2', '3', '4', '5'].map((id) => claimed(id, 'down'));

    const results = await callProviders(batch, registry, 1, { ...context, throughBreaker: (name, send) => breakers.call(name, send) });

    expect(calls).toBe(3);
    expect(results.map((r) => r.outcome)).toEqual(['rejected', 'rejected', 'rejected', 'held', 'held']);
  });
});
