import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous users merged into known ones (issue #15, `alias`): one row per merged previous id,
 * the known user it now is, and when. The key is the previous id — an id is merged once —, which
 * is also how rules and ingest look an alias up (an event for a merged id belongs to its known
 * user); erasing the known user finds its previous ids by `user_id`. Written by
 * `UserMergeStore.alias` (ingest); the merge plan (`merge/merge-plan.ts`) says what moves.
 */
export class UserAliases1732670000000 implements MigrationInterface {
  name = 'UserAliases1732670000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE user_aliases (
         previous_id text PRIMARY KEY,
         user_id text NOT NULL,
         aliased_at timestamptz NOT NULL
       )`,
    );
    await db.query(`CREATE INDEX user_aliases_user ON user_aliases (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE user_aliases`);
  }
}
