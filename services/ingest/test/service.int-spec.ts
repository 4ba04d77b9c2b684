import { eventually, type TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { startIngest } from './support/ingest-stack';

const API_KEY = 'test-key-0123456789';

describe('ingest: API key, health and metrics', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startIngest('ingest-service', { NUDGE_API_KEY: API_KEY });
  });

  afterAll(() => stack?.stop());

  it('answers 401 to /v1 calls without the bearer key or with a wrong one', async () => {
    const event = { userId: 'u1', name: 'app_opened' };
    expect((await stack.client('ingest', '').post('/v1/events', event)).status).toBe(401);
    expect((await stack.client('ingest', 'wrong-key').post('/v1/events', event)).status).toBe(401);
    expect((await stack.client('ingest', '').get('/v1/users/u1')).status).toBe(401);
  });

  it('accepts /v1 calls with the bearer key', async () => {
    const posted = await stack.client('ingest', API_KEY).post('/v1/events', { userId: 'u1', name: 'app_opened' });
    expect(posted).toMatchObject({ status: 202, body: { accepted: 1 } });
  });

  it('answers /health with 200, kafka and database up, without a key', async () => {
    const { status, body } = await stack.client('ingest', '').get('/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' }, database: { status: 'up' } } });
  });

  it('answers /health/live (the process only) and /health/ready (kafka and database) with 200, without a key', async () => {
    const client = stack.client('ingest', '');
    expect(await client.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await client.get('/health/ready');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ok', auth: 'on', info: { kafka: { status: 'up' }, database: { status: 'up' } } },
    });
    expect(ready.body.info).toHaveProperty('consumers');
  });

  it('counts accepted and rejected events in nudge_ingest_events_total on /metrics', async () => {
    const ingest = stack.client('ingest', API_KEY);
    await ingest.post('/v1/events/batch', {
      events: [
        { userId: 'u2', name: 'a' },
        { userId: 'u2', name: 'b' },
      ],
    });
    await ingest.post('/v1/events/batch', { events: [{ userId: 'u2', name: 'a' }, { name: 'no user' }, { userId: 'u2' }] });

    const { status, body } = await stack.client('ingest', '').get('/metrics');
    expect(status).toBe(200);
    expect(countOf(body, 'accepted')).toBeGreaterThanOrEqual(2);
    expect(countOf(body, 'rejected')).toBe(3);
  });

  it('answers /health/ready and /health 503 while Postgres refuses connections, and /health/live 200 all along', async () => {
    const client = stack.client('ingest', '');
    const database = new URL(stack.database.url).pathname.slice(1);
    const adminUrl = new URL(stack.database.url);
    adminUrl.pathname = '/postgres';
    const admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [
        database,
      ]);

      const ready = await eventually(async () => {
        const health = await client.get('/health/ready');
        return health.status === 503 ? health : undefined;
      });
      expect(ready.body).toMatchObject({
        status: 'error',
        auth: 'on',
        error: { database: { status: 'down' } },
        info: { kafka: { status: 'up' } },
      });
      expect(await client.get('/health')).toMatchObject({ status: 503, body: { error: { database: { status: 'down' } } } });
      expect(await client.get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await eventually(async () => ((await client.get('/health/ready')).status === 200 ? true : undefined), { timeoutMs: 30_000 });
  });
});

function countOf(metrics: string, result: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith('nudge_ingest_events_total{') && l.includes(`result="${result}"`));
  return Number(line?.split(' ').pop());
}
