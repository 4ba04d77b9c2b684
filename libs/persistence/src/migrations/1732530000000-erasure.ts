import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Complete erasure (right to erasure): who was erased, and when, without keeping who.
 * - `erasure_salt`: one random key of this installation; an erased user is known only by
 *   `erased:` + HMAC-SHA256(salt, userId), so the table does not list the ids it erased, yet
 *   dispatch can still recompute the key of a send request's user and drop it.
 * - `erased_users`: the erasure marker, one row per erased user key with the latest erasure time.
 * - indexes by user id where an erasure would otherwise read a whole table.
 */
export class Erasure1732530000000 implements MigrationInterface {
  name = 'Erasure1732530000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE erasure_salt (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        salt text NOT NULL
      )`);
    // gen_random_uuid() draws from the server's strong random source (core since Postgres 13).
    await db.query(
      `INSERT INTO erasure_salt (salt) VALUES (encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'))`,
    );
    await db.query(`
      CREATE TABLE erased_users (
        user_key text PRIMARY KEY,
        erased_at timestamptz NOT NULL
      )`);
    // An erasure finds the user's rows of every table by user id; these two had no index for it.
    await db.query(`CREATE INDEX inbound_messages_user ON inbound_messages (user_id) WHERE user_id IS NOT NULL`);
    await db.query(`CREATE INDEX journey_runs_user_any ON journey_runs (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX IF EXISTS journey_runs_user_any');
    await db.query('DROP INDEX IF EXISTS inbound_messages_user');
    await db.query('DROP TABLE IF EXISTS erased_users');
    await db.query('DROP TABLE IF EXISTS erasure_salt');
  }
}
