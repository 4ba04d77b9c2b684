import { userLockKey } from '@nudge/persistence';
import { BrokerPartition, eventually, testKafkaBrokers, type ApiResponse, type TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { profileRecordsOf, startIngest } from './support/ingest-stack';

const DEADLINE_MS = 2_000;
/** The behaviour under test: an answer well before kafkajs' own minute of retries. */
const ANSWERED_WITHIN_MS = 3 * DEADLINE_MS;
/** More concurrent requests than ingest has pooled connections (10). */
const CONCURRENT_REQUESTS = 14;

async function timed(request: Promise<ApiResponse>): Promise<ApiResponse & { ms: number }> {
  const started = Date.now();
  const response = await request;
  return { ...response, ms: Date.now() - started };
}

// The broker is lost to ingest alone (a partition in this process); the shared broker stays up.
describe('ingest: a request never waits on a lost broker longer than its deadline', () => {
  let stack: TestStack;
  let partition: BrokerPartition;

  beforeAll(async () => {
    partition = await BrokerPartition.install(testKafkaBrokers());
    stack = await startIngest('ingest-deadline', { INGEST_PUBLISH_TIMEOUT_MS: String(DEADLINE_MS), INGEST_STATEMENT_TIMEOUT_MS: '1500' });
    expect((await stack.client('ingest').put('/v1/users/kept', { attributes: { firstName: 'Kept' } })).status).toBe(200);
    partition.lose();
  });

  afterAll(async () => {
    await partition?.uninstall();
    await stack?.stop();
  });

  it('answers 503 unavailable to a profile update within the deadline and leaves the profile unchanged', async () => {
    const ingest = stack.client('ingest');
    const put = await timed(ingest.put('/v1/users/kept', { attributes: { firstName: 'Changed' } }));
    expect(put).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(put.ms).toBeLessThan(ANSWERED_WITHIN_MS);

    const created = await timed(ingest.put('/v1/users/new-user', { attributes: { firstName: 'New' } }));
    expect(created.status).toBe(503);
    expect(created.ms).toBeLessThan(ANSWERED_WITHIN_MS);

    expect((await ingest.get('/v1/users/kept')).body).toMatchObject({ version: 1, attributes: { firstName: 'Kept' } });
    expect((await ingest.get('/v1/users/new-user')).status).toBe(404);
  });

  it('answers 503 unavailable to an erasure within the deadline and keeps the profile', async () => {
    const ingest = stack.client('ingest');
    const erased = await timed(ingest.delete('/v1/users/kept'));
    expect(erased).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(erased.ms).toBeLessThan(ANSWERED_WITHIN_MS);
    expect((await ingest.get('/v1/users/kept')).body).toMatchObject({ version: 1, attributes: { firstName: 'Kept' } });
  });

  it('answers 503 to events within the deadline', async () => {
    const posted = await timed(stack.client('ingest').post('/v1/events', { eventId: 'e-lost', userId: 'u1', name: 'x' }));
    expect(posted).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(posted.ms).toBeLessThan(ANSWERED_WITHIN_MS);
  });

  it('does not exhaust the pool: concurrent updates all answer 503 in time and /health still answers', async () => {
    const ingest = stack.client('ingest');
    const started = Date.now();
    const puts = Array.from({ length: CONCURRENT_REQUESTS }, (_, i) =>
      ingest.put(`/v1/users/crowd-${i}`, { attributes: { firstName: `Crowd ${i}` } }),
    );
    const health = await timed(ingest.get('/health'));
    const answers = await Promise.all(puts);

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 503));
    expect(Date.now() - started).toBeLessThan(ANSWERED_WITHIN_MS);
    expect(health.ms).toBeLessThan(ANSWERED_WITHIN_MS);
    expect(health.body).toMatchObject({ details: { database: { status: 'up' } } });
    for (const i of [0, CONCURRENT_REQUESTS - 1]) expect((await ingest.get(`/v1/users/crowd-${i}`)).status).toBe(404);
  });

  it("released the users' locks: nothing is held once the requests have answered", async () => {
    const probe = new Client({ connectionString: stack.database.url });
    await probe.connect();
    try {
      for (const userId of ['kept', 'new-user', 'crowd-0']) {
        const [{ free }] = (await probe.query(`SELECT pg_try_advisory_lock(${userLockKey('$1::text')}) AS free`, [userId])).rows;
        expect(free).toBe(true);
        await probe.query(`SELECT pg_advisory_unlock(${userLockKey('$1::text')})`, [userId]);
      }
    } finally {
      await probe.end();
    }
  });

  it('answers 503 when a statement waits on the user lock past the statement timeout, and writes nothing', async () => {
    const holder = new Client({ connectionString: stack.database.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(${userLockKey('$1::text')})`, ['kept']);
      const put = await timed(stack.client('ingest').put('/v1/users/kept', { attributes: { firstName: 'Blocked' } }));
      expect(put).toMatchObject({
        status: 503,
        body: { error: { code: 'unavailable', message: expect.stringContaining('statement timeout') } },
      });
      expect(put.ms).toBeLessThan(ANSWERED_WITHIN_MS);
    } finally {
      await holder.end();
    }
    expect((await stack.client('ingest').get('/v1/users/kept')).body).toMatchObject({ version: 1, attributes: { firstName: 'Kept' } });
  });

  it('once the broker is back, an update succeeds and the topic ends with what Postgres holds', async () => {
    partition.heal();
    const ingest = stack.client('ingest');
    // kafkajs reconnects on its own schedule; each try answers within the deadline meanwhile.
    const put = await eventually(
      async () => {
        const answer = await ingest.put('/v1/users/kept', { attributes: { firstName: 'Back' } });
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'a profile update to succeed once the broker is back' },
    );
    expect(put.body).toMatchObject({ version: 2, attributes: { firstName: 'Back' } });
    // A send acknowledged after its deadline may have put a never-committed profile (or a
    // tombstone) on the topic; the committed change published after it is the last record.
    const records = await profileRecordsOf(stack, 'kept', (mine) => mine.at(-1)?.value?.attributes?.firstName === 'Back');
    expect(records.at(-1)?.value).toEqual(put.body);
  });
});
