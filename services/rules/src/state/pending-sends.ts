import type { EventEnvelope } from '@nudge/contracts';
import type { PendingSend } from '@nudge/engine';
import type { FallbackStep } from '@nudge/decisions';
import { returnedRows, userLockKey } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';

/** The columns `toPendingSend` reads. */
export const PENDING_SEND_COLUMNS =
  'send_id, user_id, campaign_id, campaign_version, trigger_event_id, step_id, due_at, trigger_event, fallback';

/** Whether any send is due by `now`: the cheap question a poller asks before it opens a transaction. */
export async function anySendDue(db: { query: EntityManager['query'] }, now: Date): Promise<boolean> {
  const [row]: { due: boolean }[] = await db.query('SELECT EXISTS (SELECT 1 FROM pending_sends WHERE due_at <= $1) AS due', [
    now.toISOString(),
  ]);
  return row?.due === true;
}

/** How far past a batch a claim looks for due sends whose users no other transaction holds. */
const CANDIDATE_WINDOW = 8;

/**
 * Claims up to `limit` sends due by `now`, oldest first, deleting them in the caller's
 * transaction: if the transaction rolls back they are pending again.
 *
 * The lock order is the one every writer of a user's rows keeps: the user's advisory lock
 * first, then the rows (`lockUsers`). So the claim first try-locks the users of the oldest due
 * sends (`pg_try_advisory_xact_lock` never waits: a user held by trigger evaluation or by
 * another poller is skipped until the next poll, which also lets several pollers share the
 * work), and only then deletes those users' sends, re-checking they are still there and due.
 * It never holds a row while waiting for a user, the order that deadlocked against trigger
 * evaluation (which holds the user and deletes the rows). The delete skips rows a writer
 * without user locks holds (a broadcast being cancelled), so a claim waits for nothing at all.
 *
 * One statement (the locking CTE, which calls a volatile function, runs once and before the
 * delete reads it): its snapshot is older than the locks, but a send a transaction that held
 * the user deleted meanwhile (fired, cancelled, woken) is a row deleted by a committed
 * transaction, which the delete skips (READ COMMITTED re-checks a row it finds changed); sends
 * are only ever inserted and deleted, never updated, and one inserted since is left for the
 * next poll. One round trip instead of two per batch.
 */
export async function claimDueSends(manager: EntityManager, now: Date, limit: number): Promise<PendingSend[]> {
  const rows = returnedRows<PendingSendRow>(
    await manager.query(
      `WITH locked AS (
         SELECT user_id, send_id FROM (
           SELECT user_id, send_id FROM pending_sends WHERE due_at <= $1 ORDER BY due_at LIMIT $3
         ) AS due
         WHERE pg_try_advisory_xact_lock(${userLockKey('user_id')})
         LIMIT $2
       )
       DELETE FROM pending_sends WHERE (user_id, send_id) IN (
         SELECT p.user_id, p.send_id FROM pending_sends p JOIN locked USING (user_id, send_id)
         WHERE p.due_at <= $1 FOR UPDATE OF p SKIP LOCKED
       ) RETURNING ${PENDING_SEND_COLUMNS}`,
      [now.toISOString(), limit, limit * CANDIDATE_WINDOW],
    ),
  );
  return rows.map(toPendingSend).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** A row of `pending_sends` as RETURNING or SELECT gives it (`PENDING_SEND_COLUMNS`). */
export function toPendingSend(r: PendingSendRow): PendingSend {
  return {
    sendId: r.send_id,
    userId: r.user_id,
    campaignId: r.campaign_id,
    campaignVersion: r.campaign_version,
    triggerEventId: r.trigger_event_id,
    stepId: r.step_id,
    dueAt: r.due_at ?? new Date(0),
    triggerEvent: r.trigger_event,
    ...(r.fallback ? { fallback: r.fallback } : {}),
  };
}

export interface PendingSendRow {
  send_id: string;
  user_id: string;
  campaign_id: string;
  campaign_version: number;
  trigger_event_id: string;
  step_id: string;
  due_at: Date | null;
  trigger_event: EventEnvelope;
  fallback: FallbackStep | null;
}

/** The pending sends of these users for these campaigns. */
export async function pendingSendsOf(manager: EntityManager, userIds: string[], campaignIds: string[]): Promise<PendingSend[]> {
  if (userIds.length === 0 || campaignIds.length === 0) return [];
  const rows: PendingSendRow[] = await manager.query(
    `SELECT ${PENDING_SEND_COLUMNS} FROM pending_sends WHERE user_id = ANY($1::text[]) AND campaign_id = ANY($2::text[])`,
    [[...new Set(userIds)], [...new Set(campaignIds)]],
  );
  return rows.map(toPendingSend);
}
