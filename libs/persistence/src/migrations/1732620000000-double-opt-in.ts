import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Double opt-in (issue #12 item 4). `consent_history` keeps a marketing consent set to
 * `"pending"` as `value = false, pending = true` — pending is never consent, even to a reader
 * that knows only `value` — and `evidence`, the proof that has no column of its own (the reply
 * that confirmed: provider, message id, sender). `pending_opt_ins` holds the addresses a
 * confirmation was sent to, keyed as suppressions key them, so an inbound YES finds the
 * profiles it confirms by its sender's address (the index) instead of scanning profiles;
 * deleted with the user on erasure.
 */
export class DoubleOptIn1732620000000 implements MigrationInterface {
  name = 'DoubleOptIn1732620000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE consent_history ADD COLUMN pending boolean NOT NULL DEFAULT false, ADD COLUMN evidence text`);
    await db.query(
      `CREATE TABLE pending_opt_ins (
         user_id text NOT NULL,
         channel text NOT NULL,
         address text NOT NULL,
         requested_at timestamptz NOT NULL,
         request_event_id text NOT NULL,
         PRIMARY KEY (user_id, channel)
       )`,
    );
    await db.query(`CREATE INDEX pending_opt_ins_address ON pending_opt_ins (channel, address)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE pending_opt_ins`);
    await db.query(`ALTER TABLE consent_history DROP COLUMN evidence, DROP COLUMN pending`);
  }
}
