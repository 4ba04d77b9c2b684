import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dead letters replayed through `POST /v1/dead-letters/replay` (issue #16): one row per letter
 * (DLQ topic, partition, offset), the topic it went back to, when, and how many times, so
 * `GET /v1/dead-letters` can show what was replayed. Kafka coordinates only, no user data.
 */
export class DeadLetterReplays1732680000000 implements MigrationInterface {
  name = 'DeadLetterReplays1732680000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE dead_letter_replays (
         dlq_topic text NOT NULL,
         dlq_partition integer NOT NULL,
         dlq_offset bigint NOT NULL,
         replayed_to text NOT NULL,
         replayed_at timestamptz NOT NULL DEFAULT now(),
         times integer NOT NULL DEFAULT 1,
         PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
       )`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE dead_letter_replays`);
  }
}
