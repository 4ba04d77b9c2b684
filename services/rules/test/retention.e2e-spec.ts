import { createRulesApp } from '@nudge/rules';
import { TestStack } from '@nudge/testing';
import { Client } from 'pg';
import { RetentionService } from '../src/retention/retention.service';

describe('retention of rules bookkeeping', () => {
  let stack: TestStack;
  let db: Client;

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'retention', env: { RETENTION_DAYS: '30' } });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('prunes seen event ids, exception events, ledger rows and finished journey runs older than RETENTION_DAYS, and keeps newer ones', async () => {
    await db.query(
      `INSERT INTO processed_events (event_id, processed_at) VALUES ('old', now() - interval '31 days'), ('new', now() - interval '29 days')`,
    );
    await db.query(
      `INSERT INTO exception_events (event_id, user_id, name, occurred_at, properties)
       VALUES ('old', 'u', 'purchase', now() - interval '31 days', '{}'), ('new', 'u', 'purchase', now(), '{}')`,
    );
    await db.query(
      `INSERT INTO send_ledger (send_id, user_id, campaign_id, channel, category, sent_at)
       VALUES ('old', 'u', 'c', 'sms', 'marketing', now() - interval '31 days'), ('new', 'u', 'c', 'sms', 'marketing', now())`,
    );
    const run = (id: string, status: string, age: string) =>
      `('${id}', 'c', 1, 'u', 'e', '{}', 'a', 'ready', '${status}', '{}', now() - interval '${age}', now() - interval '${age}')`;
    await db.query(
      `INSERT INTO journey_runs (run_id, campaign_id, campaign_version, user_id, trigger_event_id, trigger_event, step_id, phase, status,
         history, started_at, updated_at)
       VALUES ${[run('old', 'completed', '31 days'), run('new', 'exited', '1 day'), run('waiting', 'active', '40 days')].join(', ')}`,
    );
    await stack.app('rules').get(RetentionService).prune();
    const { rows: runs } = await db.query(`SELECT run_id FROM journey_runs ORDER BY 1`);
    // A run still in progress is kept, however long it has waited.
    expect(runs.map((r) => r.run_id)).toEqual(['new', 'waiting']);
    for (const [table, key] of [
      ['processed_events', 'event_id'],
      ['exception_events', 'event_id'],
      ['send_ledger', 'send_id'],
    ]) {
      const { rows } = await db.query(`SELECT ${key} AS id FROM ${table} ORDER BY 1`);
      expect({ table, ids: rows.map((r) => r.id) }).toEqual({ table, ids: ['new'] });
    }
  });
});
