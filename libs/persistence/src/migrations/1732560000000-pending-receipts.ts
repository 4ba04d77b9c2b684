import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch early receipts: `pending_receipts` keeps a delivery receipt that names a provider
 * message id no message holds yet (the provider called back before dispatch recorded the id
 * its send answered). A poller applies it once the id is recorded, and drops it, counted as
 * orphaned, after a bounded wait. Only what applying needs is kept: the provider, its
 * message id, the status and the provider's reason; never the raw callback (it may carry the
 * recipient's number). Rows live minutes at most: vacuumed after a fixed number of dead rows.
 */
export class PendingReceipts1732560000000 implements MigrationInterface {
  name = 'PendingReceipts1732560000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE pending_receipts (
         id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         provider text NOT NULL,
         provider_message_id text NOT NULL,
         status text NOT NULL,
         reason text,
         received_at timestamptz NOT NULL DEFAULT now()
       ) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000)`,
    );
    await db.query(`CREATE INDEX pending_receipts_provider_id ON pending_receipts (provider, provider_message_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE pending_receipts`);
  }
}
