import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Broadcasts: one message to a whole audience, streamed in batches by the rules instances. */
export class Broadcasts1732500000000 implements MigrationInterface {
  name = 'Broadcasts1732500000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per broadcast: its request, where the audience scan has got to and what it decided.
    // A batch locks the row (FOR UPDATE SKIP LOCKED) for its whole transaction and moves
    // `cursor` (the last user id read) with its decisions, so a crashed batch is redone from
    // the same place and two instances never read the same page.
    await db.query(`
      CREATE TABLE broadcasts (
        id text PRIMARY KEY,
        document jsonb NOT NULL,
        checksum text NOT NULL,
        status text NOT NULL CHECK (status IN ('scheduled', 'running', 'completed', 'cancelled')),
        send_at timestamptz NOT NULL,
        next_batch_at timestamptz NOT NULL,
        cursor text,
        counts jsonb NOT NULL DEFAULT '{}'::jsonb,
        processed bigint NOT NULL DEFAULT 0,
        audience_size bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        owner text
      )`);
    // What the runners poll: broadcasts with batches left, by when the next one may start.
    await db.query(`CREATE INDEX broadcasts_due ON broadcasts (next_batch_at) WHERE status IN ('scheduled', 'running')`);
    await db.query(`CREATE INDEX broadcasts_recent ON broadcasts (created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS broadcasts`);
  }
}
