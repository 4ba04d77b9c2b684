import type { EntityManager } from 'typeorm';

/** Which page of a user's history: at most `limit` entries older than the `before` cursor. */
export interface HistoryPageQuery {
  limit: number;
  before?: string;
}

/**
 * A page of one user's append-only history table (`consent_history`, `preference_history`),
 * newest first by its bigint `id`: at most `limit` rows (1 to `maxLimit`) older than the
 * `before` cursor, or from the newest when it is absent, and the cursor of the next page (the
 * last row's id) when there are more. `table` and `columns` are the caller's constants.
 */
export async function newestFirstPage<Row, Entry extends { id: string }>(
  manager: EntityManager,
  source: { table: string; columns: string },
  userId: string,
  page: HistoryPageQuery,
  maxLimit: number,
  entryOf: (row: Row) => Entry,
): Promise<{ changes: Entry[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(page.limit, 1), maxLimit);
  const rows: Row[] = await manager.query(
    `SELECT id::text, ${source.columns}
     FROM ${source.table} WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
     ORDER BY id DESC LIMIT $3`,
    [userId, page.before ?? null, limit + 1],
  );
  const changes = rows.slice(0, limit).map(entryOf);
  return { changes, nextCursor: rows.length > limit ? (changes.at(-1)?.id ?? null) : null };
}
