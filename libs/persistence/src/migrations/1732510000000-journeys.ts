import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Journey runs: one row per user per run, which is also the run's durable timer. */
export class Journeys1732510000000 implements MigrationInterface {
  name = 'Journeys1732510000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE journey_runs (
        run_id text PRIMARY KEY,
        campaign_id text NOT NULL,
        campaign_version integer NOT NULL,
        user_id text NOT NULL,
        trigger_event_id text NOT NULL,
        trigger_event jsonb NOT NULL,
        step_id text NOT NULL,
        phase text NOT NULL CHECK (phase IN ('ready', 'waiting')),
        status text NOT NULL CHECK (status IN ('active', 'completed', 'exited')),
        due_at timestamptz,
        waiting_for text,
        history jsonb NOT NULL,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // The poller's only question: which active runs are due.
    await db.query(`CREATE INDEX journey_runs_due ON journey_runs (due_at) WHERE status = 'active'`);
    await db.query(`CREATE INDEX journey_runs_user ON journey_runs (user_id, campaign_id) WHERE status = 'active'`);
    await db.query(`CREATE INDEX journey_runs_finished ON journey_runs (updated_at) WHERE status <> 'active'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE journey_runs');
  }
}
