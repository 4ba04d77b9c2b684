import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What rules needs for caps, re-eligibility, exceptions and global settings. */
export class RulesLedgers1732470000000 implements MigrationInterface {
  name = 'RulesLedgers1732470000000';

  async up(db: QueryRunner): Promise<void> {
    // The one settings document (settings.yaml / PUT /v1/settings), versioned like campaigns.
    await db.query(`
      CREATE TABLE settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        version integer NOT NULL,
        document jsonb NOT NULL,
        source text NOT NULL,
        checksum text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Config files already applied, so a restart does not re-apply an unchanged file over
    // a newer change made through the API.
    await db.query(`
      CREATE TABLE applied_config_files (
        path text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The cap ledger: one row per send handed to dispatch, counted in rolling windows.
    await db.query(`
      CREATE TABLE send_ledger (
        send_id text PRIMARY KEY,
        user_id text NOT NULL,
        campaign_id text NOT NULL,
        channel text NOT NULL,
        category text NOT NULL,
        sent_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX send_ledger_user ON send_ledger (user_id, sent_at DESC)`);
    // Re-eligibility: when each user was last scheduled for or sent each campaign.
    await db.query(`
      CREATE TABLE campaign_touches (
        user_id text NOT NULL,
        campaign_id text NOT NULL,
        touched_at timestamptz NOT NULL,
        PRIMARY KEY (user_id, campaign_id)
      )`);
    // Exception events kept for triggers that arrive after them (out of order).
    await db.query(`
      CREATE TABLE exception_events (
        event_id text PRIMARY KEY,
        user_id text NOT NULL,
        name text NOT NULL,
        occurred_at timestamptz NOT NULL,
        properties jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX exception_events_user ON exception_events (user_id, occurred_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['exception_events', 'campaign_touches', 'send_ledger', 'applied_config_files', 'settings']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
