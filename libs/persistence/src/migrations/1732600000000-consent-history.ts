import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent with proof (SPEC §9 "Consent history"): `consent_history` appends every consent
 * change of a profile — never updated, never overwritten — with its time, source, and the
 * proof known of it (IP, user agent, consent text version). Written in the transaction of the
 * profile change (ProfileStore.merge); read newest first by `GET /v1/users/{id}/consent`
 * (the index); deleted with the user on erasure.
 */
export class ConsentHistory1732600000000 implements MigrationInterface {
  name = 'ConsentHistory1732600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE consent_history (
         id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         user_id text NOT NULL,
         channel text NOT NULL,
         category text NOT NULL,
         value boolean NOT NULL,
         changed_at timestamptz NOT NULL,
         source text NOT NULL,
         ip text,
         user_agent text,
         text_version text,
         event_id text NOT NULL
       )`,
    );
    await db.query(`CREATE INDEX consent_history_user ON consent_history (user_id, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE consent_history`);
  }
}
