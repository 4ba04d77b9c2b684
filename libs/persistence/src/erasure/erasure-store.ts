import type { DataSource, EntityManager } from 'typeorm';
import { lockUsers } from '../data-source';
import { erasedUserKey } from './erased-user-key';
import { ERASURE_PLAN, type ErasedUser } from './erasure-plan';

/**
 * The advisory-lock class of erasures (the two-key form, a key space apart from `lockUsers`'):
 * an erasure holds its user's key exclusively, dispatch's intake shares it while it checks the
 * marker and stores messages, so no message of the user is stored behind an erasure's back.
 */
const ERASURE_LOCK_CLASS = 0x6572;

/** The installation's erasure salt (written once by the migration). */
export async function loadErasureSalt(manager: EntityManager): Promise<string> {
  const rows: { salt: string }[] = await manager.query('SELECT salt FROM erasure_salt WHERE id = 1');
  const salt = rows[0]?.salt;
  if (!salt) throw new Error('erasure_salt is empty: run the migrations');
  return salt;
}

/**
 * Erases a user inside the caller's transaction, under the user's lock (decisions wait) and
 * the user's erasure lock (dispatch's intake waits): every step of ERASURE_PLAN, then the
 * marker. The anonymous ids merged into the user (`user_aliases`) are erased with it, first,
 * each with its own marker: their decisions and messages stayed under them. Answers how many
 * rows each table had of the user.
 */
export async function eraseUser(manager: EntityManager, userId: string, at: Date): Promise<Record<string, number>> {
  // An alias is recorded under the known user's lock: held, the list of merged ids is final.
  await lockUsers(manager, [userId]);
  const merged: { previous_id: string }[] = await manager.query('SELECT previous_id FROM user_aliases WHERE user_id = $1', [userId]);
  const ids = [...merged.map((m) => m.previous_id), userId];
  // Out of lockUsers' order when there are merged ids (rare): a deadlock is retried (inTransaction).
  await lockUsers(manager, ids);
  // Every erasure lock at once, in the order erasuresOf takes them shared: no deadlock with intake.
  await manager.query(
    `SELECT pg_advisory_xact_lock($1::int, k) FROM (SELECT DISTINCT hashtext(u) AS k FROM unnest($2::text[]) AS u ORDER BY k) AS ordered`,
    [ERASURE_LOCK_CLASS, ids],
  );
  const salt = await loadErasureSalt(manager);
  for (const previousId of merged.map((m) => m.previous_id)) await runErasurePlan(manager, previousId, salt, at);
  return runErasurePlan(manager, userId, salt, at);
}

async function runErasurePlan(manager: EntityManager, userId: string, salt: string, at: Date): Promise<Record<string, number>> {
  const user: ErasedUser = { userId, userKey: erasedUserKey(salt, userId), at: at.toISOString() };
  const counts: Record<string, number> = {};
  for (const step of ERASURE_PLAN) {
    const { sql, parameters } = step.statement(user);
    counts[step.table] = affectedRows(await manager.query(sql, parameters));
  }
  return counts;
}

/**
 * When each of `userIds` was last erased (absent: never), read under a shared erasure lock
 * per user held to the end of the caller's transaction: an erasure either committed before
 * (its marker is seen) or waits for the transaction, then anonymises what it stored.
 */
export async function erasuresOf(manager: EntityManager, salt: string, userIds: string[]): Promise<Map<string, Date>> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return new Map();
  await manager.query(
    `SELECT pg_advisory_xact_lock_shared($1::int, k) FROM (
       SELECT DISTINCT hashtext(u) AS k FROM unnest($2::text[]) AS u ORDER BY k
     ) AS ordered`,
    [ERASURE_LOCK_CLASS, ids],
  );
  const keys = new Map(ids.map((id) => [erasedUserKey(salt, id), id]));
  const rows: { user_key: string; erased_at: Date }[] = await manager.query(
    'SELECT user_key, erased_at FROM erased_users WHERE user_key = ANY($1::text[])',
    [[...keys.keys()]],
  );
  return new Map(rows.map((row) => [keys.get(row.user_key) as string, new Date(row.erased_at)]));
}

/** The erasure salt of a database, read once: it never changes after the migration. */
export class ErasureSalt {
  private salt: Promise<string> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  get(): Promise<string> {
    this.salt ??= loadErasureSalt(this.dataSource.manager).catch((error: unknown) => {
      this.salt = null;
      throw error;
    });
    return this.salt;
  }
}

/** Rows an UPDATE or DELETE touched (TypeORM answers `[rows, count]`); an INSERT's rows otherwise. */
function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}
