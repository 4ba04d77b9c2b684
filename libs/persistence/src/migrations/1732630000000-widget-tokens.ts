import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messenger subscribe widget (issue #12 item 7). A widget page's deep links carry a short code
 * (a random id and a truncated MAC) instead of a signed payload, as Telegram's start parameter
 * and WhatsApp's typed code must be short; `widget_tokens` holds what the code stands for: the
 * widget, the user (a known one the embedding site vouched for, or an anonymous visitor's new
 * id), until when it binds, and per channel the chat it bound (`{ "telegram": { "address",
 * "at", "bound" } }`), so the same code binds one chat per channel, once. Deleted with the user
 * on erasure; expired rows are purged as new ones are made (`expires_at` index).
 */
export class WidgetTokens1732630000000 implements MigrationInterface {
  name = 'WidgetTokens1732630000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE TABLE widget_tokens (
         id text PRIMARY KEY,
         widget_id text NOT NULL,
         user_id text NOT NULL,
         anonymous boolean NOT NULL,
         created_at timestamptz NOT NULL,
         expires_at timestamptz NOT NULL,
         bindings jsonb NOT NULL DEFAULT '{}'::jsonb
       )`,
    );
    await db.query(`CREATE INDEX widget_tokens_user ON widget_tokens (user_id)`);
    await db.query(`CREATE INDEX widget_tokens_expiry ON widget_tokens (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE widget_tokens`);
  }
}
