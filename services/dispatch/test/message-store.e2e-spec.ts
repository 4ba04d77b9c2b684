import { createDataSource } from '@nudge/persistence';
import { createTestDatabase, eventually, type TestDatabase } from '@nudge/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { NewMessage } from '../src/messages/message';
import { DISPATCH_SESSION_SETTINGS, MessageStore } from '../src/messages/message.store';
import { aSendRequest } from './support/dispatch-stack';

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

    const claimed = await store.claimReady(100, 30, [{ channel: 'sms', provider: 'limited', allowance: 2 }]);
    const mine = claimed.filter((c) => c.userId === 'eli');
    expect(mine.filter((c) => c.provider === 'limited')).toHaveLength(2);
    expect(mine.map((c) => c.id)).toContain(free.id);

    const none = await store.claimReady(100, 30, [{ channel: 'sms', provider: 'limited', allowance: 0 }]);
    expect(none.filter((c) => c.userId === 'eli')).toEqual([]);
    const rest = await store.claimReady(100, 30, [{ channel: 'sms', provider: 'limited', allowance: 5 }]);
    expect(rest.filter((c) => c.userId === 'eli')).toHaveLength(1);
  });

  it('a claimed message is not claimed again until its lease runs out, then it is retried with the same id', async () => {
    const message = aNewMessage('bea', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [message], at));

    const [claimed] = (await store.claimReady(100, 1)).filter((c) => c.id === message.id);
    expect(claimed).toMatchObject({ id: message.id, attempts: 1 });
    expect((await store.claimReady(100, 1)).map((c) => c.id)).not.toContain(message.id);

    // The sender "crashed": nothing recorded. Once the lease runs out the row is claimed again.
    const retried = await eventually(async () => (await store.claimReady(100, 30)).find((c) => c.id === message.id), {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    expect(retried.attempts).toBe(2);

    // The crashed sender's late result is stale (attempt 1) and changes nothing.
    const stale = await dataSource.transaction((m) =>
      store.recordAttempts(m, [
        {
          id: message.id,
          attempt: 1,
          status: 'delivered',
          appendHistory: [],
          providerMessageId: 'p-old',
          failureReason: null,
          retryInMs: null,
        },
      ]),
    );
    expect(stale.size).toBe(0);
    const current = await dataSource.transaction((m) =>
      store.recordAttempts(m, [
        {
          id: message.id,
          attempt: 2,
          status: 'delivered',
          appendHistory: [
            { status: 'sent', at },
            { status: 'delivered', at },
          ],
          providerMessageId: 'p-2',
          failureReason: null,
          retryInMs: null,
        },
      ]),
    );
    expect([...current]).toEqual([message.id]);
    expect(await store.findById(message.id)).toMatchObject({
      status: 'delivered',
      providerMessageId: 'p-2',
      statusHistory: [
        { status: 'queued', at },
        { status: 'sent', at },
        { status: 'delivered', at },
      ],
    });
  });

  it('a message sent back to the queue waits for its backoff before it is ready again', async () => {
    const message = aNewMessage('carla', 'e1');
    await dataSource.transaction((m) => store.insertNew(m, [message], at));
    await store.claimReady(100, 30);
    await dataSource.transaction((m) =>
      store.recordAttempts(m, [
        { id: message.id, attempt: 1, status: 'queued', appendHistory: [], providerMessageId: null, failureReason: '503', retryInMs: 600 },
      ]),
    );

    expect((await store.claimReady(100, 30)).map((c) => c.id)).not.toContain(message.id);
    const retried = await eventually(async () => (await store.claimReady(100, 30)).find((c) => c.id === message.id), {
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    expect(retried).toMatchObject({ attempts: 2, status: 'queued', failureReason: '503' });
  });
});
