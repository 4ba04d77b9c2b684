import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The preference history (issue #12 item 5): `preference_history` appends every change of a
 * profile's preferences — a topic switched on or off, the weekly maximum set or lifted — with
 * its time, source (`preference_page`, `api`, …) and proof (IP, user agent, text version), as
 * `consent_history` does for consent. Written in the transaction of the profile change
 * (ProfileStore.merge); read newest first by `GET /v1/users/{id}/preferences/history`;
 * deleted with the user on erasure.
 */
export class PreferenceHistory1732650000000 implements MigrationInterface {
  name = 'PreferenceHistory1732650000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE preference_history (
         id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         user_id text NOT NULL,
         preference text NOT NULL CHECK (preference IN ('topic', 'maxPerWeek')),
         topic text,
         subscribed boolean,
         max_per_week integer,
         changed_at timestamptz NOT NULL,
         source text NOT NULL,
         ip text,
         user_agent text,
         text_version text,
         CHECK ((preference = 'topic') = (topic IS NOT NULL AND subscribed IS NOT NULL))
       )`,
    );
    await db.query(`CREATE INDEX preference_history_user ON preference_history (user_id, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE preference_history`);
  }
}
