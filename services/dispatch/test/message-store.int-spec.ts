import { createDataSource } from '@nudge/persistence';
import { createTestDatabase, eventually, type TestDatabase } from '@nudge/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { NewMessage } from '../src/messages/message';
import {
  DISPATCH_SESSION_SETTINGS,
  MessageStore,
  type AttemptRecord,
  type ClaimAllowance,
  type ClaimedMessage,
} from '../src/messages/message.store';
import { unknownVerdicts } from '../src/sending/unknown-outcomes';
import { aSendRequest } from './support/dispatch-stack';

/** Sandbox as it is (it takes an idempotency key: a lost result is retried), and a provider without one, on the defaults. */
const RETRY_ON_UNKNOWN = unknownVerdicts([{ channel: 'sms', provider: 'sandbox', idempotencyKey: true }]);
const FAIL_ON_UNKNOWN = unknownVerdicts([]);

// The exactly-once gate and the sender's lease, against a real Postgres.
describe('MessageStore', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: MessageStore;
  const at = '2026-11-23T10:00:00.000Z';

  beforeAll(async () => {
    database = await createTestDatabase('dispatch-store');
    dataSource = await createDataSource({
      url: database.url,
      applicationName: 'dispatch-store-test',
      poolSize: 4,
      sessionSettings: DISPATCH_SESSION_SETTINGS,
    }).initialize();
    store = new MessageStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const aNewMessage = (userId: string, triggerEventId: string, links: NewMessage['links'] = []): NewMessage => ({
    id: randomUUID(),
    request: aSendRequest({ userId, triggerEventId: `${userId}-${triggerEventId}` }),
    provider: 'sandbox',
    recipient: '+34600000001',
    body: 'Hi',
    segments: 1,
    links,
    status: 'queued',
    failureReason: null,
  });

  /** One claim under a fresh lease token: what it leased, and the token. */
  const claim = async (leaseSeconds: number, throttled: ClaimAllowance[] = [], maxAttempts = 6, unknownVerdicts = RETRY_ON_UNKNOWN) => {
    const leaseToken = randomUUID();
    const { leased, unknown } = await dataSource.transaction((m) =>
      store.claimReady(m, { limit: 100, leaseSeconds, leaseToken, maxAttempts, throttled, unknownVerdicts, at }),
    );
    return { leased, unknown, leaseToken };
  };
  const claimed = async (leaseSeconds: number, throttled: ClaimAllowance[] = []): Promise<ClaimedMessage[]> =>
    (await claim(leaseSeconds, throttled)).leased;

  const delivered = (id: string, providerMessageId: string): AttemptRecord => ({
    id,
    released: false,
    status: 'delivered',
    appendHistory: [
      { status: 'sent', at },
      { status: 'delivered', at },
    ],
    providerMessageId,
    failureReason: null,
    retryInMs: null,
  });

  const linksOf = async (messageId: string) =>
    (await dataSource.query('SELECT code, target FROM tracked_links WHERE message_id = $1 ORDER BY code', [messageId])) as {
      code: string;
      target: string;
    }[];

  it('stores a send id once, however often it is inserted', async () => {
    const first = aNewMessage('ana', 'e1');
    const again = { ...aNewMessage('ana', 'e1'), id: randomUUID() };
    const inserted = await dataSource.transaction((m) => store.insertNew(m, [first, aNewMessage('ana', 'e2')], at));
    const replayed = await dataSource.transaction((m) => store.insertNew(m, [again], at));

    expect(inserted.map((row) => row.sendId)).toEqual([
      first.request.sendId,
      aSendRequest({ userId: 'ana', triggerEventId: 'ana-e2' }).sendId,
    ]);
    expect(replayed).toEqual([]);
    expect((await store.list({ userId: 'ana', limit: 10 })).map((m) => m.id).sort()).toEqual([first.id, inserted[1]!.id].sort());
  });

  it('stores the tracked links of a new message, and none of a replayed one', async () => {
    const first = aNewMessage('dan', 'e1', [{ code: 'dan0000001', target: 'https://shop.example/a' }]);
    const replay = { ...aNewMessage('dan', 'e1', [{ code: 'dan0000002', target: 'https://shop.example/a' }]), id: randomUUID() };
    await dataSource.transaction((m) => store.insertNew(m, [first], at));
    expect(await dataSource.transaction((m) => store.insertNew(m, [replay], at))).toEqual([]);

    expect(await linksOf(first.id)).toEqual([{ code: 'dan0000001', target: 'https://shop.example/a' }]);
    expect(await linksOf(replay.id)).toEqual([]);
    expect(await dataSource.query(`SELECT code FROM tracked_links WHERE code = 'dan0000002'`)).toEqual([]);
  });

  it('a rate-limited provider gives up only its allowance of ready messages; the others are claimed as usual', async () => {
    const limited = ['e1', 'e2', 'e3'].map((e) => ({ ...aNewMessage('eli', e), provider: 'limited' }));
    const free = aNewMessage('eli', 'e4');
    await dataSource.transaction((m) => store.insertNew(m, [...limited, free], at));

    const first = await claimed(30, [{ channel: 'sms', provider: 'limited', allowance: 2 }]);
    const mine = first.filter((c) => c.userId === 'eli');
    expect(mine.filter((c) => c.provider === 'limited')).toHaveLength(2);
    expect(mine.map((c) => c.id)).toContain(free.id);

    const none = await claimed(30, [{ channel: 'sms', provider: 'limited', allowance: 0 }]);
    expect(none.filter((c) => c.userId === 'eli')).toEqual([]);
    const rest = await claimed(30, [{ channel: 'sms', provider: 'limited', allowance: 5 }]);
    expect(rest.filter((c) => c.userId === 'eli')).toHaveLength(1);
  });

  it('a claimed message is not claimed again until its lease runs out, then it is retried with the same id, its lost result stamped unknown', async () => {
    const message = aNewMessage('bea', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [message], at));

    const first = await claim(1);
    expect(first.leased.filter((c) => c.id === message.id)).toEqual([expect.objectContaining({ id: message.id, attempts: 1 })]);
    expect((await claimed(1)).map((c) => c.id)).not.toContain(message.id);

    // The sender stalled: nothing recorded. Once the lease runs out the row is claimed again, under a new token.
    const second = await eventually(
      async () => {
        const next = await claim(30);
        return next.leased.some((c) => c.id === message.id) ? next : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 100 },
    );
    expect(second.leased.find((c) => c.id === message.id)?.attempts).toBe(2);

    // The first sender's late result names a token the message no longer has: it changes nothing.
    const stale = await dataSource.transaction((m) => store.recordAttempts(m, first.leaseToken, [delivered(message.id, 'p-old')]));
    expect(stale.size).toBe(0);
    const current = await dataSource.transaction((m) => store.recordAttempts(m, second.leaseToken, [delivered(message.id, 'p-2')]));
    expect([...current]).toEqual([message.id]);
    expect(await store.findById(message.id)).toMatchObject({
      status: 'delivered',
      providerMessageId: 'p-2',
      statusHistory: [
        { status: 'queued', at },
        { status: 'unknown', at, reason: expect.stringMatching(/^the result of attempt 1 was never recorded/) },
        { status: 'sent', at },
        { status: 'delivered', at },
      ],
    });
  });

  it('a renewal keeps the lease of the messages the token still holds, and names the ones taken over', async () => {
    const kept = aNewMessage('flo', 'e1');
    const taken = aNewMessage('flo', 'e2');
    await dataSource.transaction((m) => store.insertNew(m, [kept, taken], at));
    const first = await claim(1);
    // `taken` was taken over by another claim (as after its lease ran out).
    const other = randomUUID();
    await dataSource.query(`UPDATE messages SET lease_token = $2 WHERE id = $1`, [taken.id, other]);

    expect([...(await store.renewLeases(first.leaseToken, [kept.id, taken.id], 30))]).toEqual([kept.id]);
    // Renewed for 30 s: the 1 s lease of the claim no longer frees it.
    const leaseLeft: { seconds: number }[] = await dataSource.query(
      `SELECT extract(epoch FROM lease_until - now()) AS seconds FROM messages WHERE id = $1`,
      [kept.id],
    );
    expect(Number(leaseLeft[0]?.seconds)).toBeGreaterThan(20);
  });

  it('a message whose lease ran out with no result recorded is leased again with an unknown stamp, where its verdict retries', async () => {
    const message = aNewMessage('ida', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [message], at));
    await claim(30);
    // The sender died mid-call: its lease ran out, its token is still on the row.
    await dataSource.query(`UPDATE messages SET lease_until = now() - interval '1 second' WHERE id = $1`, [message.id]);

    const { leased } = await claim(30);

    expect(leased.find((c) => c.id === message.id)).toMatchObject({ status: 'queued', attempts: 2 });
    expect((await store.findById(message.id))?.statusHistory).toEqual([
      { status: 'queued', at },
      {
        status: 'unknown',
        at,
        reason:
          'the result of attempt 1 was never recorded (dispatch stopped or lost its lease mid-call); retried: sandbox takes an idempotency key, so a second call cannot send twice',
      },
    ]);
  });

  it('a message whose lease ran out with no result recorded is left unknown where its verdict does not retry', async () => {
    const message = aNewMessage('jon', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [message], at));
    await claim(30);
    await dataSource.query(`UPDATE messages SET lease_until = now() - interval '1 second' WHERE id = $1`, [message.id]);

    const { leased, unknown } = await claim(30, [], 6, FAIL_ON_UNKNOWN);

    expect(leased.map((c) => c.id)).not.toContain(message.id);
    const reason =
      'the result of attempt 1 was never recorded (dispatch stopped or lost its lease mid-call); not retried (onUnknown defaults to fail for marketing): it may or may not have been sent';
    expect(unknown.find((m) => m.id === message.id)).toMatchObject({ status: 'unknown', attempts: 1, failureReason: reason });
    expect((await store.findById(message.id))?.statusHistory).toEqual([
      { status: 'queued', at },
      { status: 'unknown', at, reason },
    ]);
    expect((await claim(30)).leased.map((m) => m.id)).not.toContain(message.id);
  });

  it('a message past its attempt limit is never leased: the claim leaves it unknown, saying why', async () => {
    const used = aNewMessage('gus', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [used], at));
    // Its 3 attempts were claimed and never recorded (the senders crashed); the last lease has run out.
    await dataSource.query(`UPDATE messages SET attempts = 3, lease_token = $2, lease_until = now() - interval '1 second' WHERE id = $1`, [
      used.id,
      randomUUID(),
    ]);

    const { leased, unknown } = await claim(30, [], 3);

    expect(leased.map((c) => c.id)).not.toContain(used.id);
    expect(unknown.find((m) => m.id === used.id)).toMatchObject({
      status: 'unknown',
      attempts: 3,
      failureReason: 'gave up after 3 attempts: the result of the last one was never recorded',
    });
    expect(await store.findById(used.id)).toMatchObject({
      status: 'unknown',
      statusHistory: [
        { status: 'queued', at },
        { status: 'unknown', at, reason: 'gave up after 3 attempts: the result of the last one was never recorded' },
      ],
    });
    expect((await claim(30, [], 3)).unknown.map((m) => m.id)).not.toContain(used.id);
  });

  it('a message released before its call goes back to the queue as it was, its attempt not counted', async () => {
    const message = aNewMessage('hal', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [message], at));
    const { leaseToken } = await claim(30);
    const release: AttemptRecord = {
      id: message.id,
      released: true,
      status: 'queued',
      appendHistory: [],
      providerMessageId: null,
      failureReason: null,
      retryInMs: null,
    };
    expect([...(await dataSource.transaction((m) => store.recordAttempts(m, leaseToken, [release])))]).toEqual([message.id]);

    expect((await claimed(30)).find((c) => c.id === message.id)).toMatchObject({ attempts: 1, status: 'queued' });
  });

  it('a message sent back to the queue waits for its backoff before it is ready again', async () => {
    const message = aNewMessage('carla', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [message], at));
    const { leaseToken } = await claim(30);
    await dataSource.transaction((m) =>
      store.recordAttempts(m, leaseToken, [
        {
          id: message.id,
          released: false,
          status: 'queued',
          appendHistory: [],
          providerMessageId: null,
          failureReason: '503',
          retryInMs: 600,
        },
      ]),
    );

    expect((await claimed(30)).map((c) => c.id)).not.toContain(message.id);
    const retried = await eventually(async () => (await claimed(30)).find((c) => c.id === message.id), {
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    expect(retried).toMatchObject({ attempts: 2, status: 'queued', failureReason: '503' });
  });
});
