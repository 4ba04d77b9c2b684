import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Opt-out by address (SPEC §9): `suppressions` holds each (channel, address)'s opt-out state,
 * set by a STOP from the address or a channel-side withdrawal and lifted by START, whoever
 * holds the address. One row per address: its latest change (the inbound messages keep every
 * STOP and START). Inbound messages get the provider's message id, unique per provider, so
 * a redelivered webhook is recognised: recorded, replied to and applied once.
 */
export class Suppressions1732580000000 implements MigrationInterface {
  name = 'Suppressions1732580000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE suppressions (
         channel text NOT NULL,
         address text NOT NULL,
         suppressed boolean NOT NULL,
         keyword text NOT NULL,
         source text NOT NULL,
         changed_at timestamptz NOT NULL,
         PRIMARY KEY (channel, address)
       )`,
    );
    await db.query(`ALTER TABLE inbound_messages ADD COLUMN provider_message_id text`);
    await db.query(
      `CREATE UNIQUE INDEX inbound_messages_provider_id ON inbound_messages (provider, provider_message_id)
       WHERE provider_message_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX inbound_messages_provider_id`);
    await db.query(`ALTER TABLE inbound_messages DROP COLUMN provider_message_id`);
    await db.query(`DROP TABLE suppressions`);
  }
}
