import { eventually, type TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { aCampaign, aReachableProfile, startNudge } from './support/nudge-stack';

// Postgres goes away mid-flow: health says so (503), events keep being accepted by ingest,
// and once the database is back every event is decided and sent — none lost, none twice.
describe('a database outage', () => {
  let stack: TestStack;
  let admin: Client;
  let database: string;

  beforeAll(async () => {
    stack = await startNudge({ label: 'outage' });
    database = new URL(stack.database.url).pathname.slice(1);
    const adminUrl = new URL(stack.database.url);
    adminUrl.pathname = '/postgres';
    admin = new Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    await stack.client('rules').put('/v1/campaigns/outage', aCampaign('outage').triggeredBy('outage_test').build());
    await stack.client('ingest').put('/v1/users/out-1', aReachableProfile('Olga', '+34600000501'));
  });

  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await stack?.stop();
  });

  it('answers 503 while it lasts and loses nothing', async () => {
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);

    const down = await eventually(async () => {
      const health = await stack.client('rules').get('/health');
      return health.status === 503 ? health : undefined;
    });
    expect(down.body.error.database.status).toBe('down');
    const events = Array.from({ length: 20 }, (_, i) => ({ eventId: `out-${i}`, userId: 'out-1', name: 'outage_test' }));
    expect((await stack.client('ingest').post('/v1/events/batch', { events })).status).toBe(202);

    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    await eventually(async () => ((await stack.client('rules').get('/health')).status === 200 ? true : undefined), { timeoutMs: 30_000 });
    const sent = await eventually(
      async () => {
        const { body } = await stack.client('dispatch').get('/v1/messages?userId=out-1&limit=100');
        return body.items.filter((m: { status: string }) => m.status === 'delivered').length === events.length ? body.items : undefined;
      },
      { what: 'every event sent after the outage', timeoutMs: 90_000 },
    );
    expect(new Set(sent.map((m: { triggerEventId: string }) => m.triggerEventId)).size).toBe(events.length);
  });
});
