import { createDataSource } from '@nudge/persistence';
import { createTestDatabase, eventually, type TestDatabase } from '@nudge/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { NewMessage } from '../src/messages/message';
import { MessageStore } from '../src/messages/message.store';
import { aSendRequest } from './support/dispatch-stack';

// The exactly-once gate and the sender's lease, against a real Postgres.
describe('MessageStore', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: MessageStore;
  const at = '2026-11-23T10:00:00.000Z';

  beforeAll(async () => {
    database = await createTestDatabase('dispatch-store');
    dataSource = await createDataSource({ url: database.url, applicationName: 'dispatch-store-test', poolSize: 4 }).initialize();
    store = new MessageStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const aNewMessage = (userId: string, triggerEventId: string): NewMessage => ({
    id: randomUUID(),
    request: aSendRequest({ userId, triggerEventId: `${userId}-${triggerEventId}` }),
    provider: 'sandbox',
    body: 'Hi',
    segments: 1,
    status: 'queued',
    failureReason: null,
  });

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
