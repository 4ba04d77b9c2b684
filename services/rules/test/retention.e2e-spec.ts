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

  it('prunes seen event ids, exception events and ledger rows older than RETENTION_DAYS, and keeps newer ones', async () => {
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
    await stack.app('rules').get(RetentionService).prune();
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
