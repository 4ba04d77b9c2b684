import { createDispatchApp } from '@nudge/dispatch';
import { createIngestApp } from '@nudge/ingest';
import { buildService, eventually, freePort, startBuiltService, TestStack } from '@nudge/testing';
import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { aCampaign, aReachableProfile } from './support/nudge-stack';

// kill -9 of rules in the middle of a load: no decision lost, no message sent twice.
// Rules runs as a real process (built code) so it can really be killed.
describe('rules killed with SIGKILL mid-load', () => {
  let stack: TestStack;
  let db: Client;
  let rules: ChildProcess | undefined;
  let rulesPort: number;

  beforeAll(async () => {
    buildService('rules');
    stack = await TestStack.start({ factories: { ingest: createIngestApp, dispatch: createDispatchApp }, label: 'crash' });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    rulesPort = await freePort();
    rules = await startRules();
    await putCampaign();
  }, 180_000);

  afterAll(async () => {
    rules?.kill('SIGKILL');
    await db?.end();
    await stack?.stop();
  });

  const startRules = (): Promise<ChildProcess> => startBuiltService('rules', rulesPort, stack.env);

  async function putCampaign(): Promise<void> {
    const response = await fetch(`http://127.0.0.1:${rulesPort}/v1/campaigns/crash-now`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(aCampaign('crash-now').triggeredBy('crash_test').build()),
    });
    expect(response.status).toBe(200);
  }

  async function count(sql: string): Promise<number> {
    return (await db.query(sql)).rows[0].n;
  }

  it('decides every event once and sends every message once after a restart', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `crash-${i}`);
    await Promise.all(
      users.map((u, i) => stack.client('ingest').put(`/v1/users/${u}`, aReachableProfile(u, `+3462${String(i).padStart(7, '0')}`))),
    );
    const total = 600;
    const events = Array.from({ length: total }, (_, i) => ({
      eventId: `crash-e-${i}`,
      userId: users[i % users.length],
      name: 'crash_test',
    }));

    // Half the load, then kill rules once it has decided some of it but (likely) not all.
    for (let i = 0; i < total / 2; i += 50) {
      expect((await stack.client('ingest').post('/v1/events/batch', { events: events.slice(i, i + 50) })).status).toBe(202);
    }
    await eventually(async () =>
      (await count(`SELECT count(*)::int AS n FROM decisions WHERE campaign_id = 'crash-now'`)) > 0 ? true : undefined,
    );
    rules?.kill('SIGKILL');
    for (let i = total / 2; i < total; i += 50) {
      expect((await stack.client('ingest').post('/v1/events/batch', { events: events.slice(i, i + 50) })).status).toBe(202);
    }
    rules = await startRules();

    await eventually(
      async () =>
        (await count(`SELECT count(*)::int AS n FROM messages WHERE campaign_id = 'crash-now' AND status = 'delivered'`)) === total
          ? true
          : undefined,
      { what: `${total} delivered messages`, timeoutMs: 90_000 },
    );
    expect(await count(`SELECT count(*)::int AS n FROM decisions WHERE campaign_id = 'crash-now' AND outcome = 'sent'`)).toBe(total);
    expect(await count(`SELECT count(DISTINCT trigger_event_id)::int AS n FROM decisions WHERE campaign_id = 'crash-now'`)).toBe(total);
    expect(await count(`SELECT count(*)::int AS n FROM messages WHERE campaign_id = 'crash-now'`)).toBe(total);
  });
});
