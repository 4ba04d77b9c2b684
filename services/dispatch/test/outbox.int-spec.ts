import { PROVIDER_FACTORIES, type ChannelProvider, type ProviderFactory } from '@nudge/channels';
import type { JsonProducer } from '@nudge/kafka';
import { DATA_SOURCE, PRODUCER } from '@nudge/service-runtime';
import { eventually, readTopic, type ReadRecord } from '@nudge/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { OutboxStore } from '../src/outbox/outbox.store';
import {
  aSendRequest,
  hasEvent,
  messageEvents,
  messageReaching,
  publishSendRequests,
  saveSettings,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';

/** A provider that delivers at once and counts its calls per message id. */
function aCountingProvider(calls: Map<string, number>): ProviderFactory {
  return () => {
    const provider: ChannelProvider = {
      name: 'counting',
      capabilities: { idempotencyKey: false },
      send: async (message) => {
        calls.set(message.messageId, (calls.get(message.messageId) ?? 0) + 1);
        return { outcome: 'accepted', status: 'delivered', providerMessageId: `c-${message.messageId}` };
      },
    };
    return provider;
  };
}

// Status events go through the outbox: a broker outage delays them and never re-sends a message.
describe('dispatch outbox', () => {
  let dispatch: DispatchHarness;
  let dataSource: DataSource;
  let producer: JsonProducer;
  const calls = new Map<string, number>();

  beforeAll(async () => {
    dispatch = await startDispatch(
      'dispatch-outbox',
      { DISPATCH_LEASE_SECONDS: '1', DISPATCH_POLL_MS: '50' },
      { providerFactories: { ...PROVIDER_FACTORIES, counting: aCountingProvider(calls) } },
    );
    await saveSettings(dispatch, { providers: { sms: { provider: 'counting' } } });
    dataSource = dispatch.stack.app('dispatch').get<symbol, DataSource>(DATA_SOURCE);
    producer = dispatch.stack.app('dispatch').get<symbol, JsonProducer>(PRODUCER);
  });

  afterEach(() => jest.restoreAllMocks());
  afterAll(() => dispatch?.stop());

  const outboxRowsOf = async (messageId: string): Promise<number> => {
    const rows: { n: string }[] = await dataSource.query(`SELECT count(*) AS n FROM dispatch_outbox WHERE change->'message'->>'id' = $1`, [
      messageId,
    ]);
    return Number(rows[0]?.n);
  };

  const recordsOf = (records: ReadRecord[], messageId: string) =>
    records.filter((r) => r.value?.messageId === messageId || r.value?.properties?.messageId === messageId);

  it('a message the provider took while the broker was unreachable is not sent again; its events follow once it answers', async () => {
    const publishes = jest.spyOn(producer, 'publishMany').mockRejectedValue(new Error('broker unreachable'));
    await publishSendRequests(dispatch, aSendRequest({ userId: 'ana', triggerEventId: 'e-ana' }));

    const message = await messageReaching(dispatch, 'ana', 'e-ana', 'delivered');
    // The relay keeps failing for several leases' time (1 s each): nothing is claimed or sent again meanwhile.
    await eventually(() => (publishes.mock.calls.length >= 3 ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the relay to fail three times',
    });
    // One row for the settled attempt: `sent` followed by `delivered`.
    expect(await outboxRowsOf(message.id)).toBe(1);
    expect(calls.get(message.id)).toBe(1);

    publishes.mockRestore();
    await messageEvents(dispatch, hasEvent('message_delivered', message.id));
    await eventually(async () => ((await outboxRowsOf(message.id)) === 0 ? true : undefined), { what: 'the outbox to be emptied' });
    expect(calls.get(message.id)).toBe(1);
    const [stored] = (
      await dispatch.stack
        .client('dispatch')
        .get<{ items: { id: string; statusHistory: { status: string }[] }[] }>(`/v1/messages?userId=ana`)
    ).body.items;
    expect(stored?.statusHistory.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('publishes a message’s records in order; a relay stopped between publish and delete publishes them again, same event ids', async () => {
    const store = dispatch.stack.app('dispatch').get(OutboxStore);
    const removals = jest.spyOn(store, 'remove').mockRejectedValueOnce(new Error('relay crashed after publishing'));
    await publishSendRequests(dispatch, aSendRequest({ userId: 'bob', triggerEventId: 'e-bob' }));
    const message = await messageReaching(dispatch, 'bob', 'e-bob', 'delivered');

    const twice = (records: ReadRecord[]) =>
      recordsOf(records, message.id).filter((r) => r.value?.name === 'message_delivered').length >= 2;
    const events = recordsOf(await messageEvents(dispatch, twice), message.id);
    expect(events.map((e) => e.value.name)).toEqual(['message_sent', 'message_delivered', 'message_sent', 'message_delivered']);
    expect(events.map((e) => e.value.eventId)).toEqual([
      `${message.id}:sent`,
      `${message.id}:delivered`,
      `${message.id}:sent`,
      `${message.id}:delivered`,
    ]);
    const deliveries = recordsOf(
      await readTopic(dispatch.stack.brokers, dispatch.stack.topics.deliveries, {
        until: (records) => recordsOf(records, message.id).length >= 4,
        timeoutMs: 20_000,
      }),
      message.id,
    );
    expect(deliveries.map((d) => d.value.status)).toEqual(['sent', 'delivered', 'sent', 'delivered']);
    expect(removals).toHaveBeenCalledTimes(2);
    await eventually(async () => ((await outboxRowsOf(message.id)) === 0 ? true : undefined), { what: 'the outbox to be emptied' });
    expect(calls.get(message.id)).toBe(1);
  });

  it('publishes rows written one change per row (before a settlement shared a row) in order with the rows after them', async () => {
    const old = {
      id: randomUUID(),
      sendId: 'snd_old',
      userId: 'dee',
      campaignId: 'cart-abandon-sms',
      stepId: 'main',
      channel: 'sms',
      provider: 'sandbox',
    };
    const at = '2026-11-23T10:00:00.000Z';
    const change = (message: typeof old, status: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ message, status, at, ...extra });
    const later = { ...old, id: randomUUID(), sendId: 'snd_new' };
    await dataSource.query(`INSERT INTO dispatch_outbox (key, change) VALUES ('dee', $1), ('dee', $2), ('dee', $3)`, [
      change(old, 'sent'),
      change(old, 'delivered'),
      change(later, 'sent', { followedBy: [{ status: 'delivered', at }] }),
    ]);
    const ours = (records: ReadRecord[]) => records.filter((r) => [old.id, later.id].includes(r.value?.messageId));
    const deliveries = ours(
      await readTopic(dispatch.stack.brokers, dispatch.stack.topics.deliveries, {
        until: (records) => ours(records).length >= 4,
        timeoutMs: 20_000,
      }),
    );
    expect(deliveries.map((d) => [d.value.messageId, d.value.status])).toEqual([
      [old.id, 'sent'],
      [old.id, 'delivered'],
      [later.id, 'sent'],
      [later.id, 'delivered'],
    ]);
    const events = await messageEvents(dispatch, hasEvent('message_delivered', later.id));
    expect(events.filter((e) => [old.id, later.id].includes(e.value?.properties?.messageId)).map((e) => e.value.eventId)).toEqual([
      `${old.id}:sent`,
      `${old.id}:delivered`,
      `${later.id}:sent`,
      `${later.id}:delivered`,
    ]);
  });

  it('a second reply to a replied message is an event of its own, with no status change on the deliveries topic', async () => {
    await publishSendRequests(dispatch, aSendRequest({ userId: 'cy', triggerEventId: 'e-cy', to: '+34600000088' }));
    const message = await messageReaching(dispatch, 'cy', 'e-cy', 'delivered');
    for (const text of ['yes', 'yes, really']) {
      const reply = await dispatch.stack
        .client('dispatch')
        .post('/v1/providers/sandbox/inbound', { channel: 'sms', from: '+34600000088', text });
      expect(reply.status).toBe(200);
    }

    const replies = (records: ReadRecord[]) => recordsOf(records, message.id).filter((r) => r.value?.name === 'message_replied');
    const events = replies(await messageEvents(dispatch, (records) => replies(records).length >= 2));
    expect(events.map((e) => e.value.properties.text)).toEqual(['yes', 'yes, really']);
    expect(new Set(events.map((e) => e.value.eventId)).size).toBe(2);
    const deliveries = recordsOf(
      await readTopic(dispatch.stack.brokers, dispatch.stack.topics.deliveries, {
        until: (records) => recordsOf(records, message.id).some((r) => r.value?.status === 'replied'),
        timeoutMs: 20_000,
      }),
      message.id,
    );
    expect(deliveries.map((d) => d.value.status)).toEqual(['sent', 'delivered', 'replied']);
  });
});
