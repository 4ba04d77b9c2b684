import type { EntityManager } from 'typeorm';

export interface AudiencePageQuery {
  /**
   * Only users who chose about `preferences.topics.<topic>` — switched it on, or off since (they
   * are decided `no_consent` with that reason, so the log says why they got nothing); absent:
   * every profile.
   */
  topic?: string;
  /** The last user id of the previous page; null for the first. */
  after: string | null;
  limit: number;
}

/**
 * The next page of user ids of a broadcast's audience, in user id order (keyset
 * pagination over the profiles' primary key): each page costs the same however far the
 * scan has got, and no more than a page of profiles is ever in memory. Conditions on the
 * profile are evaluated by the caller, on the profiles read under the users' locks.
 */
export async function nextAudiencePage(manager: EntityManager, { topic, after, limit }: AudiencePageQuery): Promise<string[]> {
  // User ids are never empty (ingest refuses them), so '' sorts before every one of them.
  const rows: { user_id: string }[] =
    topic === undefined
      ? await manager.query('SELECT user_id FROM profiles WHERE user_id > $1 ORDER BY user_id LIMIT $2', [after ?? '', limit])
      : await manager.query(
          `SELECT user_id FROM profiles
           WHERE user_id > $1 AND jsonb_typeof(document -> 'preferences' -> 'topics' -> $3) = 'boolean'
           ORDER BY user_id LIMIT $2`,
          [after ?? '', limit, topic],
        );
  return rows.map((r) => r.user_id);
}
