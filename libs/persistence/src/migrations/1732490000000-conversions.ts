import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Conversion attribution and holdout groups. */
export class Conversions1732490000000 implements MigrationInterface {
  name = 'Conversions1732490000000';

  async up(db: QueryRunner): Promise<void> {
    // Every send (treated) and every held-out send (control) a conversion may be attributed to.
    await db.query(`
      CREATE TABLE attributions (
        send_id text PRIMARY KEY,
        user_id text NOT NULL,
        campaign_id text NOT NULL,
        grp text NOT NULL CHECK (grp IN ('treated', 'held_out')),
        at timestamptz NOT NULL,
        trigger_properties jsonb NOT NULL
      )`);
    await db.query(`CREATE INDEX attributions_user_campaign ON attributions (user_id, campaign_id, at DESC)`);
    await db.query(`CREATE INDEX attributions_campaign ON attributions (campaign_id, grp)`);
    // At most one conversion per attributed send.
    await db.query(`
      CREATE TABLE conversions (
        send_id text PRIMARY KEY REFERENCES attributions (send_id) ON DELETE CASCADE,
        campaign_id text NOT NULL,
        event_id text NOT NULL,
        converted_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX conversions_campaign ON conversions (campaign_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS conversions`);
    await db.query(`DROP TABLE IF EXISTS attributions`);
  }
}
