import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch reliability:
 * - `dispatch_outbox`: the status events of a message (its `nudge.deliveries.v1` record and
 *   its `message_*` event) are written here in the transaction that writes the status; a
 *   relay publishes them in `seq` order and deletes them. A queue table: rows live for
 *   milliseconds, so it is vacuumed after a fixed number of dead rows, not a fraction.
 * - `messages.lease_token`: the claim that holds a message's lease; a sender records its
 *   result only while its token is still there (fenced leases). Not indexed, so the claim
 *   and the lease renewals stay HOT updates (see DispatchHotPath1732520000000).
 */
export class DispatchOutbox1732540000000 implements MigrationInterface {
  name = 'DispatchOutbox1732540000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE messages ADD COLUMN lease_token uuid`);
    // One row per status change, as compact as it can be (the relay renders its DeliveryUpdate
    // and its `message_*` event); `event_only` for an event that is not a change (a second
    // reply). `json`, not `jsonb`: written and read whole, never queried.
    await db.query(
      `CREATE TABLE dispatch_outbox (
         seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         key text NOT NULL,
         change json NOT NULL,
         event_only boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now()
       ) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dispatch_outbox`);
    await db.query(`ALTER TABLE messages DROP COLUMN lease_token`);
  }
}
