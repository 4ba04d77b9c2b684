import { ProviderRegistry, ProviderUnknownOutcomeError, type ChannelProvider } from '@nudge/channels';
import { createDataSource } from '@nudge/persistence';
import { createTestDatabase, eventually, type TestDatabase } from '@nudge/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DispatchConfig } from '../src/config';
import type { NewMessage } from '../src/messages/message';
import { DISPATCH_SESSION_SETTINGS } from '../src/messages/message.store';
import type { ActiveProviders } from '../src/providers/active-providers';
import type { ChannelRateLimit } from '../src/providers/providers-from-settings';
import { ProviderBreakers } from '../src/sending/provider-breakers';
import { SendAtIntake, type IntakeLease } from '../src/sending/send-at-intake';
import type { UnknownOutcomePolicy } from '../src/sending/unknown-outcomes';
import { aHandBuiltSender, aQueuedMessage, silentLogger } from './support/hand-built-sender';

const config = {
  DISPATCH_SEND_BATCH_SIZE: 10,
  DISPATCH_SEND_CONCURRENCY: 4,
  DISPATCH_SENDERS: 1,
  DISPATCH_LEASE_SECONDS: 1,
  DISPATCH_MAX_ATTEMPTS: 6,
  DISPATCH_RETRY_BASE_MS: 1_000,
  DISPATCH_RETRY_MAX_MS: 60_000,
  PUBLIC_URL: 'http://localhost:3002',
  NUDGE_LINK_TTL_DAYS: 90,
} as DispatchConfig;

// Intake inserts what can be sent now already leased and sends it itself, with no claim and no sender loop.
describe('sending straight from intake', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const calls: string[] = [];
  let gate: Promise<void> | undefined;
  const provider: ChannelProvider = {
    name: 'quick',
    capabilities: { idempotencyKey: false },
    send: async (message) => {
      calls.push(message.messageId);
      if (gate) await gate;
      return { outcome: 'accepted', status: 'delivered', providerMessageId: `p-${message.messageId}-${message.attempt}` };
    },
  };
  const registry = ProviderRegistry.fromSettings({ sms: { provider: 'quick' } }, { sandbox: () => provider, quick: () => provider });
  let rateLimits: ChannelRateLimit[] = [];
  let unknownOutcomes: UnknownOutcomePolicy[] = [];
  const providers = {
    current: () => ({
      version: 1,
      registry,
      rateLimits,
      maxRetryAges: new Map(),
      unknownOutcomes,
      channelProviders: [{ channel: 'sms', provider: 'quick' }],
    }),
  } as unknown as ActiveProviders;

  beforeAll(async () => {
    database = await createTestDatabase('dispatch-send-at-intake');
    dataSource = await createDataSource({
      url: database.url,
      applicationName: 'dispatch-send-at-intake-test',
      poolSize: 4,
      sessionSettings: DISPATCH_SESSION_SETTINGS,
    }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => {
    rateLimits = [];
    unknownOutcomes = [];
    gate = undefined;
  });

  /** One dispatch process's sending parts: the sender (never run as a loop here) and intake's sends. */
  const aDispatch = (breakers = new ProviderBreakers({ failures: 1_000, probeAfterMs: 60_000 })) => {
    const { sender, store, throttle } = aHandBuiltSender(dataSource, config, providers, breakers);
    const sendAtIntake = new SendAtIntake(config, providers, throttle, breakers, sender, silentLogger);
    return { sender, sendAtIntake, store };
  };

  const aNewMessage = (userId: string, event: string): NewMessage => aQueuedMessage(userId, event, 'quick');

  /** What IntakeService.accept does around its insert. */
  const intake = async (dispatch: ReturnType<typeof aDispatch>, messages: NewMessage[], at = new Date().toISOString()) => {
    const lease = dispatch.sendAtIntake.lease(messages);
    const rows = await dataSource.transaction((m) => dispatch.store.insertNew(m, messages, at, lease));
    const sending = lease ? dispatch.sendAtIntake.send(lease, messages, new Set(rows.map((r) => r.id)), at) : new Set<string>();
    return { lease, sending };
  };

  const messageRow = async (id: string) =>
    (
      (await dataSource.query(
        `SELECT status, status_history, attempts, lease_token, lease_until IS NOT NULL AS leased, provider_message_id FROM messages WHERE id = $1`,
        [id],
      )) as {
        status: string;
        status_history: { status: string; reason?: string }[];
        attempts: number;
        lease_token: string | null;
        leased: boolean;
        provider_message_id: string | null;
      }[]
    )[0];

  const outboxStatuses = async (id: string) =>
    (
      (await dataSource.query(
        `SELECT change->>'status' AS status, change->'followedBy' AS more FROM dispatch_outbox WHERE change->'message'->>'id' = $1 ORDER BY seq`,
        [id],
      )) as { status: string; more: { status: string }[] | null }[]
    ).flatMap((r) => [r.status, ...(r.more ?? []).map((m) => m.status)]);

  it('sends a message intake stored, with no claim and no sender loop: one attempt, its outcome and events recorded', async () => {
    const dispatch = aDispatch();
    const claim = jest.spyOn(dispatch.store, 'claimReady');
    const message = aNewMessage('ana', 'e1');

    const { sending } = await intake(dispatch, [message]);

    expect(sending).toEqual(new Set([message.id]));
    const sent = await eventually(async () => {
      const row = await messageRow(message.id);
      return row?.status === 'delivered' ? row : undefined;
    });
    expect(sent).toMatchObject({ attempts: 1, lease_token: null, leased: false, provider_message_id: `p-${message.id}-1` });
    expect(sent.status_history.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
    expect(await outboxStatuses(message.id)).toEqual(['sent', 'delivered']);
    expect(calls.filter((id) => id === message.id)).toHaveLength(1);
    expect(claim).not.toHaveBeenCalled();
    await dispatch.sendAtIntake.beforeApplicationShutdown();
  });

  it('a replayed send id is neither stored nor sent again', async () => {
    const dispatch = aDispatch();
    const message = aNewMessage('rey', 'e1');
    await intake(dispatch, [message]);
    await eventually(async () => ((await messageRow(message.id))?.status === 'delivered' ? true : undefined));

    const replay = { ...message, id: randomUUID() };
    const { lease, sending } = await intake(dispatch, [replay]);

    expect(lease?.ids).toEqual(new Set([replay.id]));
    expect(sending.size).toBe(0);
    expect(await messageRow(replay.id)).toBeUndefined();
    await dispatch.sendAtIntake.beforeApplicationShutdown();
    expect(calls.filter((id) => id === message.id || id === replay.id)).toEqual([message.id]);
  });

  it('a crash after the insert leaves leased rows: once their lease runs out, the claim finds the call may have happened', async () => {
    unknownOutcomes = [{ channel: 'sms', provider: 'quick', idempotencyKey: false, onUnknown: 'retry' }];
    const crashed = aDispatch();
    const retried = aNewMessage('bea', 'e1');
    const lease = crashed.sendAtIntake.lease([retried]) as IntakeLease;
    // Stored leased, then the process dies before it sends anything.
    await dataSource.transaction((m) => crashed.store.insertNew(m, [retried], new Date().toISOString(), lease));
    expect(await messageRow(retried.id)).toMatchObject({ status: 'queued', attempts: 1, lease_token: lease.token, leased: true });

    // Once the lease runs out, the next claim takes the row as one whose result was lost.
    const restarted = aDispatch();
    await eventually(async () => ((await restarted.sender.sendReadyBatch()) > 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the claim to find the rows whose lease ran out',
    });
    const row = await messageRow(retried.id);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, lease_token: null, provider_message_id: `p-${retried.id}-2` });
    expect(row?.status_history.map((s) => s.status)).toEqual(['queued', 'unknown', 'sent', 'delivered']);
    expect(row?.status_history[1]?.reason).toBe(
      'the result of attempt 1 was never recorded (dispatch stopped or lost its lease mid-call); retried (onUnknown: retry): the recipient may get it twice',
    );
  });

  it('with onUnknown fail, a message stored leased and never sent ends unknown, not sent again', async () => {
    const crashed = aDispatch();
    const message = aNewMessage('dan', 'e1');
    const lease = crashed.sendAtIntake.lease([message]) as IntakeLease;
    await dataSource.transaction((m) => crashed.store.insertNew(m, [message], new Date().toISOString(), lease));

    const restarted = aDispatch();
    await eventually(async () => ((await restarted.sender.sendReadyBatch()) > 0 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the claim to find the row whose lease ran out',
    });

    expect(calls).not.toContain(message.id);
    expect(await messageRow(message.id)).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(await outboxStatuses(message.id)).toEqual(['unknown']);
  });

  it("leaves to the sender loop what the provider's rate limit has no tokens for", async () => {
    rateLimits = [{ channel: 'sms', provider: 'quick', limit: { messages: 2, perMs: 1_000 } }];
    const dispatch = aDispatch();
    const messages = ['e1', 'e2', 'e3', 'e4', 'e5'].map((e) => aNewMessage('eve', e));

    const { sending } = await intake(dispatch, messages);

    expect([...sending]).toEqual(messages.slice(0, 2).map((m) => m.id));
    for (const m of messages.slice(2)) expect(await messageRow(m.id)).toMatchObject({ status: 'queued', attempts: 0, lease_token: null });
    await dispatch.sendAtIntake.beforeApplicationShutdown();
    for (const m of messages.slice(0, 2)) expect((await messageRow(m.id))?.status).toBe('delivered');
    // The loop sends the rest as the bucket refills.
    await eventually(
      async () => {
        await dispatch.sender.sendReadyBatch();
        const statuses = await Promise.all(messages.map(async (m) => (await messageRow(m.id))?.status));
        return statuses.every((s) => s === 'delivered') ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200, what: 'the loop to send the rate-limited rest' },
    );
  });

  it('leaves to the sender loop a provider whose breaker is open, and what comes while every send slot is busy', async () => {
    const breakers = new ProviderBreakers({ failures: 1, probeAfterMs: 60_000 });
    await breakers.call('quick', async () => ({ outcome: 'rejected', error: new ProviderUnknownOutcomeError('down') }));
    expect(aDispatch(breakers).sendAtIntake.lease([aNewMessage('fay', 'e1')])).toBeUndefined();

    const dispatch = aDispatch();
    let open: () => void = () => undefined;
    gate = new Promise<void>((resolve) => (open = resolve));
    const first = aNewMessage('gus', 'e1');
    const second = aNewMessage('gus', 'e2');
    expect((await intake(dispatch, [first])).sending.size).toBe(1);
    // DISPATCH_SENDERS is 1 and the first batch is still in its provider call.
    const { lease } = await intake(dispatch, [second]);
    expect(lease).toBeUndefined();
    expect(await messageRow(second.id)).toMatchObject({ status: 'queued', lease_token: null, attempts: 0 });
    open();
    await dispatch.sendAtIntake.beforeApplicationShutdown();
    expect((await messageRow(first.id))?.status).toBe('delivered');
  });
});
