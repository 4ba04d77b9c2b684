import { createRulesApp } from '@nudge/rules';
import { eventually, TestStack } from '@nudge/testing';
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

  it("never waits for a row while holding others: a writer holding a user's lock and rows finishes, and so does pruning", async () => {
    await db.query(
      `INSERT INTO send_ledger (send_id, user_id, campaign_id, channel, category, sent_at)
       VALUES ('held-1', 'held', 'c', 'sms', 'marketing', now() - interval '32 days'), ('held-2', 'held', 'c', 'sms', 'marketing', now() - interval '32 days')`,
    );
    // A writer keeping the lock order, as an erasure does: the user's lock, then the user's rows
    // (the second row first, so a pruning pass that deletes in table order meets it holding the first).
    const writer = new Client({ connectionString: stack.database.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`SELECT pg_advisory_xact_lock(hashtextextended('held', 0))`);
      await writer.query(`UPDATE send_ledger SET campaign_id = 'erased' WHERE send_id = 'held-2'`);
      let pruned = false;
      const pruning = stack
        .app('rules')
        .get(RetentionService)
        .prune()
        .finally(() => (pruned = true));
      await eventually(async () => (pruned || (await waitingOnRow()) ? true : undefined), {
        what: 'pruning to finish or wait on a row',
        intervalMs: 20,
      });
      const updated = writer.query(`UPDATE send_ledger SET campaign_id = 'erased' WHERE send_id = 'held-1'`);
      const [prune, update] = await Promise.allSettled([pruning, updated]);
      expect({ prune: prune.status, update: update.status }).toEqual({ prune: 'fulfilled', update: 'fulfilled' });
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }
    // The row the writer held is pruned on the next pass.
    await stack.app('rules').get(RetentionService).prune();
    const { rows } = await db.query(`SELECT send_id FROM send_ledger WHERE user_id = 'held'`);
    expect(rows).toEqual([]);
  });

  async function waitingOnRow(): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM send_ledger%'`,
    );
    return rows[0].n > 0;
  }
});
