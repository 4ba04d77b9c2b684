import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys led by `user_id` on the rules tables written on every decision (issue #14 §3), so the
 * schema can be distributed by user on Citus (`create_distributed_table(t, 'user_id')` needs
 * `user_id` in every primary and unique key): the decision log and the consent and preference
 * histories keep their id but under the user (`(user_id, id)`, which also serves their
 * newest-first pages, so the `(user_id, id DESC)` indexes go); the cap ledger, exception events,
 * pending sends and journey runs are unique per user on their natural ids (a send id, an event
 * id, a run id are each of one user, so no row that was unique becomes a duplicate). Pending
 * sends keep a plain index on `send_id` for cancelling by send id; journey runs lose
 * `journey_runs_user_any`, the new key's prefix. The plan is `libs/persistence/src/distribution-plan.ts`.
 */
export class UserKeys1732660000000 implements MigrationInterface {
  name = 'UserKeys1732660000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['decisions', 'consent_history', 'preference_history']) {
      await db.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD PRIMARY KEY (user_id, id)`);
    }
    await db.query(`DROP INDEX decisions_user, consent_history_user, preference_history_user`);
    await db.query(`ALTER TABLE send_ledger DROP CONSTRAINT send_ledger_pkey, ADD PRIMARY KEY (user_id, send_id)`);
    await db.query(`ALTER TABLE exception_events DROP CONSTRAINT exception_events_pkey, ADD PRIMARY KEY (user_id, event_id)`);
    await db.query(
      `ALTER TABLE pending_sends DROP CONSTRAINT pending_sends_pkey, DROP CONSTRAINT pending_sends_send_id_key, ADD PRIMARY KEY (user_id, send_id)`,
    );
    await db.query(`CREATE INDEX pending_sends_send_id ON pending_sends (send_id)`);
    await db.query(`ALTER TABLE journey_runs DROP CONSTRAINT journey_runs_pkey, ADD PRIMARY KEY (user_id, run_id)`);
    await db.query(`DROP INDEX journey_runs_user_any`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX journey_runs_user_any ON journey_runs (user_id)`);
    await db.query(`ALTER TABLE journey_runs DROP CONSTRAINT journey_runs_pkey, ADD PRIMARY KEY (run_id)`);
    await db.query(`DROP INDEX pending_sends_send_id`);
    await db.query(
      `ALTER TABLE pending_sends DROP CONSTRAINT pending_sends_pkey, ADD PRIMARY KEY (id), ADD CONSTRAINT pending_sends_send_id_key UNIQUE (send_id)`,
    );
    await db.query(`ALTER TABLE exception_events DROP CONSTRAINT exception_events_pkey, ADD PRIMARY KEY (event_id)`);
    await db.query(`ALTER TABLE send_ledger DROP CONSTRAINT send_ledger_pkey, ADD PRIMARY KEY (send_id)`);
    for (const table of ['decisions', 'consent_history', 'preference_history']) {
      await db.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD PRIMARY KEY (id)`);
      await db.query(`CREATE INDEX ${table}_user ON ${table} (user_id, id DESC)`);
    }
  }
}
