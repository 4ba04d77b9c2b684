import type { EventEnvelope } from '@nudge/contracts';
import type { Client } from 'pg';

/** An event as rules reads it from Kafka, received when it happened. */
export function envelope(eventId: string, userId: string, name: string, at: Date): EventEnvelope {
  return { eventId, userId, name, timestamp: at.toISOString(), receivedAt: at.toISOString(), properties: {}, context: {} };
}

/** A promise with its resolver outside, for handing a moment from one task to another. */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Reachable profiles (SMS, consent to everything) written straight to the table rules reads. */
export async function insertReachableProfiles(db: Client, userIds: string[]): Promise<void> {
  await db.query(
    `INSERT INTO profiles (user_id, document, version, updated_at)
     SELECT d->>'userId', d, 1, now() FROM unnest($1::jsonb[]) AS d`,
    [
      userIds.map((userId, n) =>
        JSON.stringify({
          userId,
          attributes: {},
          channels: { sms: { address: `+3460${String(n + 1).padStart(7, '0')}`, consent: { marketing: true, transactional: true } } },
          preferences: { topics: {} },
          version: 1,
          updatedAt: new Date().toISOString(),
        }),
      ),
    ],
  );
}

/** Whether a backend of this database is waiting for an advisory (user) lock right now. */
export async function waitingOnAdvisoryLock(db: Client): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
  );
  return rows[0].n > 0;
}

/** Backends of this database other than `db`'s own. */
export async function otherBackends(db: Client): Promise<number> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  return rows[0].n;
}

/**
 * Deadlocks Postgres has broken in this database. A backend reports its own when idle or on
 * exit: stop the app and wait for `otherBackends` to reach 0 before trusting the figure.
 */
export async function deadlocks(db: Client): Promise<number> {
  await db.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await db.query(`SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`);
  return rows[0].n;
}
