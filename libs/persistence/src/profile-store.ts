import { emptyProfile, mergeProfile, type Profile, type ProfileUpdate } from '@nudge/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction, lockUsers, returnedRows } from './data-source';

/** Reads and writes profiles; the row is the truth, the compacted topic mirrors it. */
export class ProfileStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(userId: string): Promise<Profile | null> {
    const rows: { document: Profile }[] = await this.dataSource.query('SELECT document FROM profiles WHERE user_id = $1', [userId]);
    return rows[0]?.document ?? null;
  }

  /** Profiles of many users in one round trip, keyed by user id. */
  getMany(userIds: string[]): Promise<Map<string, Profile>> {
    return loadProfiles(this.dataSource.manager, userIds);
  }

  /**
   * Merges `update` into the user's profile under the user's lock. `beforeCommit` runs
   * with the merged profile before the transaction commits (publish it there), so a
   * failed publish leaves the stored profile unchanged.
   */
  async merge(
    userId: string,
    update: ProfileUpdate,
    change: { at: string; source: string },
    beforeCommit: (profile: Profile) => Promise<void>,
  ): Promise<Profile> {
    return inTransaction(this.dataSource, async (manager) => {
      await lockUsers(manager, [userId]);
      const rows: { document: Profile }[] = await manager.query('SELECT document FROM profiles WHERE user_id = $1', [userId]);
      const merged = mergeProfile(rows[0]?.document ?? emptyProfile(userId, change.at), update, change);
      await manager.query(
        `INSERT INTO profiles (user_id, document, version, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET document = EXCLUDED.document, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [userId, merged, merged.version, change.at],
      );
      await beforeCommit(merged);
      return merged;
    });
  }

  /**
   * Erases a user (right to erasure): the profile, and recipient addresses and bodies
   * of their messages; counts (decisions, message statuses) stay, without content.
   */
  async erase(userId: string, beforeCommit: () => Promise<void>): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      await lockUsers(manager, [userId]);
      const deleted = returnedRows(await manager.query('DELETE FROM profiles WHERE user_id = $1 RETURNING user_id', [userId]));
      await manager.query(`UPDATE messages SET recipient = '[erased]', body = NULL, request = '{}'::jsonb WHERE user_id = $1`, [userId]);
      await manager.query('DELETE FROM pending_sends WHERE user_id = $1', [userId]);
      await beforeCommit();
      return deleted.length > 0;
    });
  }
}

/** Profiles of many users in one round trip (inside the caller's transaction), keyed by user id. */
export async function loadProfiles(manager: EntityManager, userIds: string[]): Promise<Map<string, Profile>> {
  if (userIds.length === 0) return new Map();
  const rows: { document: Profile }[] = await manager.query('SELECT document FROM profiles WHERE user_id = ANY($1::text[])', [
    [...new Set(userIds)],
  ]);
  return new Map(rows.map((r) => [r.document.userId, r.document]));
}
