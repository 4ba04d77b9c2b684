import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fallbacks decided by rules (issue #12 item 8): the fallback of a message sent with a chain
 * (`channel: [whatsapp, sms]`, `fallbackAfter`) is a pending send of its own, `fallback`
 * holding the step (the message it replaces, the remaining chain, `after`, and what dispatch
 * saw). It waits with no `due_at` until dispatch reports the message unread (`fallback_due`),
 * then is decided and, outside the allowed hours, deferred like any send.
 */
export class FallbackSteps1732640000000 implements MigrationInterface {
  name = 'FallbackSteps1732640000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE pending_sends ADD COLUMN fallback jsonb`);
    await db.query(`ALTER TABLE pending_sends ALTER COLUMN due_at DROP NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM pending_sends WHERE due_at IS NULL`);
    await db.query(`ALTER TABLE pending_sends ALTER COLUMN due_at SET NOT NULL`);
    await db.query(`ALTER TABLE pending_sends DROP COLUMN fallback`);
  }
}
