import {
  emptyProfile,
  mergeProfile,
  type ConsentChangeContext,
  type EventEnvelope,
  type Profile,
  type ProfileUpdate,
} from '@nudge/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { appendConsentChanges, readConsentHistory, type ConsentHistoryPage } from './consent-history';
import { inTransaction, lockUsers } from './data-source';
import { eraseUser } from './erasure';
import { appendPreferenceChanges, readPreferenceHistory, type PreferenceHistoryPage } from './preference-history';

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
   * Merges `update` into the user's profile under the user's lock, and appends its consent
   * changes (with `change`'s time, source and proof) to the consent history, and its topic and
   * weekly-maximum changes to the preference history, in the same transaction. `beforeCommit`
   * runs with the merged profile and the changes' `consent_*` events before the transaction
   * commits (publish them there), so a failed publish leaves
   * the stored profile and history unchanged; it also gets the profile as it was, read under
   * the lock, to refuse a change that no longer applies (throw: nothing is written).
   */
  async merge(
    userId: string,
    update: ProfileUpdate | ((current: Profile) => ProfileUpdate),
    change: ConsentChangeContext,
    beforeCommit: (profile: Profile, consentEvents: EventEnvelope[], previous: Profile) => Promise<void>,
  ): Promise<Profile> {
    return inTransaction(this.dataSource, async (manager) => {
      await lockUsers(manager, [userId]);
      const rows: { document: Profile }[] = await manager.query('SELECT document FROM profiles WHERE user_id = $1', [userId]);
      const current = rows[0]?.document ?? emptyProfile(userId, change.at);
      // An update computed from the stored profile (adding to a list attribute) sees it under the lock.
      const merged = mergeProfile(current, typeof update === 'function' ? update(current) : update, change);
      await manager.query(
        `INSERT INTO profiles (user_id, document, version, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET document = EXCLUDED.document, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [userId, merged, merged.version, change.at],
      );
      const consentEvents = await appendConsentChanges(manager, current, merged, change);
      await appendPreferenceChanges(manager, current, merged, change);
      await beforeCommit(merged, consentEvents, current);
      return merged;
    });
  }

  /**
   * Runs `publish` with the stored profile (null: none, or erased) under the user's lock, so no
   * change of the user is published in between: what it publishes is what Postgres holds
   * once every change before it has committed or rolled back.
   */
  async republish(userId: string, publish: (profile: Profile | null) => Promise<void>): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      await lockUsers(manager, [userId]);
      const rows: { document: Profile }[] = await manager.query('SELECT document FROM profiles WHERE user_id = $1', [userId]);
      await publish(rows[0]?.document ?? null);
    });
  }

  /** A page of the user's consent history (newest first), or null when there is no profile. */
  async consentHistory(userId: string, page: { limit: number; before?: string }): Promise<ConsentHistoryPage | null> {
    if ((await this.get(userId)) === null) return null;
    return readConsentHistory(this.dataSource.manager, userId, page);
  }

  /** A page of the user's preference history (newest first), or null when there is no profile. */
  async preferenceHistory(userId: string, page: { limit: number; before?: string }): Promise<PreferenceHistoryPage | null> {
    if ((await this.get(userId)) === null) return null;
    return readPreferenceHistory(this.dataSource.manager, userId, page);
  }

  /**
   * Erases a user (right to erasure) in one transaction: every personal value of every table
   * (ERASURE_PLAN), the erasure marker written; `beforeCommit` runs before the commit (publish
   * the profile tombstone there), so a failed publish leaves everything as it was.
   */
  async erase(userId: string, at: Date, beforeCommit: () => Promise<void>): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const erased = await eraseUser(manager, userId, at);
      await beforeCommit();
      return (erased.profiles ?? 0) > 0;
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

/** Publishes a profile (null: its tombstone) and a change's consent events; `afterLate` as in `withinDeadline`. */
export type ProfileSend = (userId: string, profile: Profile | null, consentEvents: EventEnvelope[], afterLate: () => void) => Promise<void>;

/** The most tries of one repair (doubling pauses from 1 s to 30 s: about five minutes). */
const REPAIR_TRIES = 12;

/**
 * How every writer of profiles (ingest, dispatch) publishes them so that the compacted topic
 * ends with what Postgres holds. A change is published before its transaction commits and
 * rolled back when the publish misses its deadline — but that send cannot be cancelled, and
 * kafkajs may deliver it after the user's next committed change. So once such a late send
 * settles, the stored profile is published again under the user's lock (`republish`),
 * retried with doubling pauses while Kafka or Postgres is away.
 */
export class ProfileMirror {
  constructor(
    private readonly profiles: Pick<ProfileStore, 'republish'>,
    private readonly send: ProfileSend,
    private readonly logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void },
    private readonly pauseMs: (attempt: number) => number = (attempt) => Math.min(30_000, 1_000 * 2 ** (attempt - 1)),
  ) {}

  /** Publishes a change (from inside its transaction: `ProfileStore.merge`'s or `erase`'s `beforeCommit`). */
  publish(userId: string, profile: Profile | null, consentEvents: EventEnvelope[] = []): Promise<void> {
    return this.send(userId, profile, consentEvents, () => this.repair(userId));
  }

  private repair(userId: string, attempt = 1): void {
    this.profiles
      .republish(userId, (stored) => this.send(userId, stored, [], () => this.repair(userId)))
      .then(() => this.logger.warn({ userId }, 'a profile send acknowledged after its deadline is followed by the stored profile'))
      .catch((error: unknown) => {
        if (attempt >= REPAIR_TRIES) {
          this.logger.error({ err: error, userId }, 'the stored profile could not be published again; the next change of the user will');
          return;
        }
        setTimeout(() => this.repair(userId, attempt + 1), this.pauseMs(attempt)).unref();
      });
  }
}
