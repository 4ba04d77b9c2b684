import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What dispatch needs for tracked links, inbound messages, in-app inboxes and fallback. */
export class DispatchChannels1732480000000 implements MigrationInterface {
  name = 'DispatchChannels1732480000000';

  async up(db: QueryRunner): Promise<void> {
    // `| track` links: PUBLIC_URL/c/{code} redirects to `target` and records the click.
    await db.query(`
      CREATE TABLE tracked_links (
        code text PRIMARY KEY,
        message_id uuid NOT NULL,
        target text NOT NULL,
        clicks integer NOT NULL DEFAULT 0,
        first_clicked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX tracked_links_message ON tracked_links (message_id)`);
    // Replies and STOPs as received, and when each address last wrote (session windows).
    await db.query(`
      CREATE TABLE inbound_messages (
        id bigserial PRIMARY KEY,
        provider text NOT NULL,
        channel text NOT NULL,
        from_address text NOT NULL,
        user_id text,
        message_id uuid,
        text text NOT NULL,
        received_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX inbound_messages_from ON inbound_messages (channel, from_address, received_at DESC)`);
    // The in-app inbox: one item per inapp message, read and clicked as the app reports.
    await db.query(`
      CREATE TABLE inbox_items (
        message_id uuid PRIMARY KEY,
        user_id text NOT NULL,
        campaign_id text NOT NULL,
        title text,
        body text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        clicked_at timestamptz
      )`);
    await db.query(`CREATE INDEX inbox_items_user ON inbox_items (user_id, created_at DESC)`);
    // Who replied: the latest message sent to an address on a channel.
    await db.query(`CREATE INDEX messages_recipient ON messages (channel, recipient, created_at DESC)`);
    // Fallback chains: the channels left to try, and when to try the next one if unread.
    await db.query(`ALTER TABLE messages ADD COLUMN fallback_channels jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await db.query(`ALTER TABLE messages ADD COLUMN fallback_at timestamptz`);
    await db.query(`ALTER TABLE messages ADD COLUMN fallback_of uuid`);
    await db.query(`CREATE INDEX messages_fallback_due ON messages (fallback_at) WHERE fallback_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS messages_fallback_due`);
    await db.query(`DROP INDEX IF EXISTS messages_recipient`);
    for (const column of ['fallback_of', 'fallback_at', 'fallback_channels'])
      await db.query(`ALTER TABLE messages DROP COLUMN IF EXISTS ${column}`);
    for (const table of ['inbox_items', 'inbound_messages', 'tracked_links']) await db.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
