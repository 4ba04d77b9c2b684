import { ProviderRegistry, ProviderUnknownOutcomeError, type ChannelProvider } from '@nudge/channels';
import { createDataSource } from '@nudge/persistence';
import { createTestDatabase, eventually, type TestDatabase } from '@nudge/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DispatchConfig } from '../src/config';
import type { NewMessage } from '../src/messages/message';
import { DISPATCH_SESSION_SETTINGS, MessageStore } from '../src/messages/message.store';
import type { ActiveProviders } from '../src/providers/active-providers';
import { SendMetrics } from '../src/sending/send-metrics';
import type { UnknownOutcomePolicy } from '../src/sending/unknown-outcomes';
import { aSendRequest } from './support/dispatch-stack';
import { aHandBuiltSender, aQueuedMessage } from './support/hand-built-sender';

const config = {
  DISPATCH_SEND_BATCH_SIZE: 10,
  DISPATCH_SEND_CONCURRENCY: 1,
  DISPATCH_LEASE_SECONDS: 1,
  DISPATCH_MAX_ATTEMPTS: 6,
  DISPATCH_RETRY_BASE_MS: 1_000,
  DISPATCH_RETRY_MAX_MS: 60_000,
  PUBLIC_URL: 'http://localhost:3002',
  NUDGE_LINK_TTL_DAYS: 90,
} as DispatchConfig;

/**
 * A provider that counts its calls per message and can hold the first call it gets until
 * `release()`: a sender stuck in a slow provider call.
 */
function aGatedProvider() {
  const calls = new Map<string, number>();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let first: string | undefined;
  const provider: ChannelProvider = {
    name: 'gated',
    capabilities: { idempotencyKey: false },
    send: async (message) => {
      const call = (calls.get(message.messageId) ?? 0) + 1;
      calls.set(message.messageId, call);
      if (first === undefined) {
        first = message.messageId;
        await gate;
      }
      return { outcome: 'accepted', status: 'sent', providerMessageId: `p-${message.messageId}-${call}` };
    },
  };
  return { provider, calls, release, firstCalled: () => first };
}

// Two senders on one database: a lease taken over is fenced, and attempts are bounded.
describe('fenced leases', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const at = '2026-11-23T10:00:00.000Z';
  const gated = aGatedProvider();
  /** Email's provider: every request leaves and no answer comes back. */
  const silentCalls: string[] = [];
  const silent: ChannelProvider = {
    name: 'silent',
    capabilities: { idempotencyKey: false },
    send: async (message) => {
      silentCalls.push(message.messageId);
      throw new ProviderUnknownOutcomeError('silent did not answer within 10000 ms');
    },
  };
  const registry = ProviderRegistry.fromSettings(
    { sms: { provider: 'gated' }, email: { provider: 'silent' } },
    { sandbox: () => gated.provider, gated: () => gated.provider, silent: () => silent },
  );
  /** The gated provider takes no idempotency key; tests say whether a lost result is retried (`onUnknown`). */
  let unknownOutcomes: UnknownOutcomePolicy[] = [];
  const providers = {
    current: () => ({ version: 1, registry, rateLimits: [], maxRetryAges: new Map(), unknownOutcomes, channelProviders: [] }),
  } as unknown as ActiveProviders;

  beforeAll(async () => {
    database = await createTestDatabase('dispatch-leases');
    dataSource = await createDataSource({
      url: database.url,
      applicationName: 'dispatch-leases-test',
      poolSize: 6,
      sessionSettings: DISPATCH_SESSION_SETTINGS,
    }).initialize();
  });

  afterAll(async () => {
    gated.release();
    await dataSource?.destroy();
    await database?.drop();
  });

  /** A sender of its own (its own store, metrics and throttle), as another dispatch process would run. */
  const aSender = () => aHandBuiltSender(dataSource, config, providers);

  const aNewMessage = (userId: string, triggerEventId: string): NewMessage => aQueuedMessage(userId, triggerEventId, 'gated');

  const messageRow = async (id: string) =>
    (
      (await dataSource.query(`SELECT status, status_history, provider_message_id, attempts FROM messages WHERE id = $1`, [id])) as {
        status: string;
        status_history: { status: string; reason?: string }[];
        provider_message_id: string | null;
        attempts: number;
      }[]
    )[0];

  const lostAfterCall = async (metrics: SendMetrics) =>
    (await metrics.leaseLost.get()).values.filter((v) => v.labels.stage === 'after_call').reduce((sum, v) => sum + v.value, 0);

  it('a sender whose lease was taken over starts no more calls and records nothing; the taker sends and records', async () => {
    unknownOutcomes = [{ channel: 'sms', provider: 'gated', idempotencyKey: false, onUnknown: 'retry' }];
    const messages = [aNewMessage('ana', 'e1'), aNewMessage('ana', 'e2')];
    await dataSource.transaction((m) => new MessageStore(dataSource).insertNew(m, messages, at));

    // Sender A claims both and gets stuck in the provider's first call; its renewals cannot reach the database.
    const stalled = aSender();
    jest.spyOn(stalled.store, 'renewLeases').mockRejectedValue(new Error('connection lost'));
    const stalledBatch = stalled.sender.sendReadyBatch();
    const stuck = await eventually(() => gated.firstCalled(), { what: 'the first provider call' });
    const later = messages.map((m) => m.id).find((id) => id !== stuck)!;

    // Once A's lease has run out, sender B takes both messages over, sends and records them.
    const taker = aSender();
    await eventually(async () => ((await taker.sender.sendReadyBatch()) > 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'a second sender to take the messages over',
    });
    expect(await messageRow(later)).toMatchObject({ status: 'sent', provider_message_id: `p-${later}-1` });

    // A's stuck call returns: its result is not recorded, and it never calls for the other message.
    gated.release();
    await stalledBatch;
    expect(gated.calls.get(later)).toBe(1);
    const taken = await messageRow(stuck);
    expect(taken).toMatchObject({ status: 'sent', provider_message_id: `p-${stuck}-2` });
    expect(taken?.status_history.map((s) => s.status)).toEqual(['queued', 'unknown', 'sent']);
    expect(await lostAfterCall(stalled.metrics)).toBe(1);
    expect(await lostAfterCall(taker.metrics)).toBe(0);
  });

  it('a call whose result was lost is not made again where onUnknown is fail (the default for marketing): the message ends unknown', async () => {
    unknownOutcomes = [];
    const message = aNewMessage('cid', 'e1');
    await dataSource.transaction((m) => new MessageStore(dataSource).insertNew(m, [message], at));
    // A sender claimed it and died before recording anything: the token stays, the lease runs out.
    await dataSource.query(`UPDATE messages SET attempts = 1, lease_token = $2, lease_until = now() - interval '1 second' WHERE id = $1`, [
      message.id,
      randomUUID(),
    ]);

    await aSender().sender.sendReadyBatch();

    expect(gated.calls.get(message.id)).toBeUndefined();
    const reason =
      'the result of attempt 1 was never recorded (dispatch stopped or lost its lease mid-call); not retried (onUnknown defaults to fail for marketing): it may or may not have been sent';
    expect(await messageRow(message.id)).toMatchObject({
      status: 'unknown',
      attempts: 1,
      status_history: [{ status: 'queued' }, { status: 'unknown', reason }],
    });
    const outbox: { status: string; reason: string }[] = await dataSource.query(
      `SELECT change->>'status' AS status, change->>'reason' AS reason FROM dispatch_outbox WHERE change->'message'->>'id' = $1 ORDER BY seq`,
      [message.id],
    );
    expect(outbox).toEqual([{ status: 'unknown', reason }]);
  });

  it('a call that times out after the request left is unknown: retried for transactional, left unknown for marketing', async () => {
    unknownOutcomes = [{ channel: 'email', provider: 'silent', idempotencyKey: false }];
    const email = (userId: string, category: 'marketing' | 'transactional'): NewMessage => ({
      ...aNewMessage(userId, 'e1'),
      request: { ...aSendRequest({ userId, triggerEventId: `${userId}-e1`, channel: 'email', to: `${userId}@example.com` }), category },
      provider: 'silent',
      recipient: `${userId}@example.com`,
    });
    const promo = email('dan', 'marketing');
    const reset = email('eve', 'transactional');
    // Taken now: the retry falls well within maxRetryAge.
    await dataSource.transaction((m) => new MessageStore(dataSource).insertNew(m, [promo, reset], new Date().toISOString()));

    await aSender().sender.sendReadyBatch();

    expect(silentCalls.filter((id) => id === promo.id || id === reset.id).sort()).toEqual([promo.id, reset.id].sort());
    expect(await messageRow(promo.id)).toMatchObject({
      status: 'unknown',
      status_history: [
        { status: 'queued' },
        {
          status: 'unknown',
          reason:
            'silent did not answer within 10000 ms; not retried (onUnknown defaults to fail for marketing): it may or may not have been sent',
        },
      ],
    });
    expect(await messageRow(reset.id)).toMatchObject({
      status: 'queued',
      status_history: [
        { status: 'queued' },
        {
          status: 'unknown',
          reason:
            'silent did not answer within 10000 ms; retried (onUnknown defaults to retry for transactional): the recipient may get it twice',
        },
      ],
    });
  });

  it('a message past its attempt limit is never sent again: the claim leaves it unknown and its events go to the outbox', async () => {
    unknownOutcomes = [{ channel: 'sms', provider: 'gated', idempotencyKey: false, onUnknown: 'retry' }];
    const used = aNewMessage('bea', 'e1');
    await dataSource.transaction((m) => new MessageStore(dataSource).insertNew(m, [used], at));
    // Six attempts claimed and never recorded (their senders crashed); the last lease has run out.
    await dataSource.query(`UPDATE messages SET attempts = 6, lease_token = $2, lease_until = now() - interval '1 second' WHERE id = $1`, [
      used.id,
      randomUUID(),
    ]);

    await aSender().sender.sendReadyBatch();

    expect(gated.calls.get(used.id)).toBeUndefined();
    expect(await messageRow(used.id)).toMatchObject({ status: 'unknown', attempts: 6 });
    const outbox: { status: string; event_only: boolean; reason: string }[] = await dataSource.query(
      `SELECT change->>'status' AS status, event_only, change->>'reason' AS reason
       FROM dispatch_outbox WHERE change->'message'->>'id' = $1 ORDER BY seq`,
      [used.id],
    );
    expect(outbox).toEqual([
      { status: 'unknown', event_only: false, reason: 'gave up after 6 attempts: the result of the last one was never recorded' },
    ]);
  });
});
