import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema: campaigns, profiles, durable timers, the decision log and messages. */
export class InitialSchema1732460000000 implements MigrationInterface {
  name = 'InitialSchema1732460000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE campaigns (
        id text PRIMARY KEY,
        version integer NOT NULL,
        document jsonb NOT NULL,
        source text NOT NULL,
        checksum text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE campaign_versions (
        campaign_id text NOT NULL,
        version integer NOT NULL,
        document jsonb NOT NULL,
        source text NOT NULL,
        checksum text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, version)
      )`);
    await db.query(`
      CREATE TABLE profiles (
        user_id text PRIMARY KEY,
        document jsonb NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Rules' idempotency: an event id evaluated once, whatever Kafka redelivers.
    await db.query(`
      CREATE TABLE processed_events (
        event_id text PRIMARY KEY,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Durable timers: one row per pending send, claimed by pollers with SKIP LOCKED.
    await db.query(`
      CREATE TABLE pending_sends (
        id bigserial PRIMARY KEY,
        send_id text NOT NULL UNIQUE,
        user_id text NOT NULL,
        campaign_id text NOT NULL,
        campaign_version integer NOT NULL,
        trigger_event_id text NOT NULL,
        step_id text NOT NULL,
        due_at timestamptz NOT NULL,
        trigger_event jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX pending_sends_due_at ON pending_sends (due_at)`);
    await db.query(`CREATE INDEX pending_sends_user_campaign ON pending_sends (user_id, campaign_id)`);
    await db.query(`
      CREATE TABLE decisions (
        id bigserial PRIMARY KEY,
        user_id text NOT NULL,
        campaign_id text NOT NULL,
        campaign_version integer NOT NULL,
        trigger_event_id text NOT NULL,
        step_id text NOT NULL,
        outcome text NOT NULL,
        reason text NOT NULL,
        at timestamptz NOT NULL,
        scheduled_for timestamptz
      )`);
    await db.query(`CREATE INDEX decisions_user ON decisions (user_id, id DESC)`);
    await db.query(`CREATE INDEX decisions_campaign_outcome ON decisions (campaign_id, outcome)`);
    await db.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        send_id text NOT NULL UNIQUE,
        campaign_id text NOT NULL,
        campaign_version integer NOT NULL,
        step_id text NOT NULL,
        user_id text NOT NULL,
        trigger_event_id text NOT NULL,
        channel text NOT NULL,
        provider text NOT NULL,
        recipient text NOT NULL,
        body text,
        segments integer,
        status text NOT NULL,
        status_history jsonb NOT NULL,
        failure_reason text,
        provider_message_id text,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        request jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX messages_user ON messages (user_id, created_at DESC)`);
    await db.query(`CREATE INDEX messages_campaign ON messages (campaign_id, created_at DESC)`);
    await db.query(`CREATE INDEX messages_ready ON messages (next_attempt_at) WHERE status = 'queued'`);
    await db.query(`CREATE INDEX messages_provider_id ON messages (provider, provider_message_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['messages', 'decisions', 'pending_sends', 'processed_events', 'profiles', 'campaign_versions', 'campaigns']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
