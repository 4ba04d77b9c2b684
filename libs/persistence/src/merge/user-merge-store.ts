import {
  ConflictError,
  emptyProfile,
  mergeProfile,
  profileMergePlan,
  ValidationError,
  type ConsentChangeContext,
  type EventEnvelope,
  type Profile,
} from '@nudge/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { appendConsentChanges } from '../consent-history';
import { inTransaction, lockUsers } from '../data-source';
import { appendPreferenceChanges } from '../preference-history';
import { PROFILE_MERGE_PLAN, STATE_MERGE_PLAN, type MergedUser, type MergeStep } from './merge-plan';

/** What an alias did: the known profile it published, or nothing when the id was merged already. */
export type AliasOutcome = { merged: true; profile: Profile; consentEvents: EventEnvelope[] } | { merged: false };

/** Anonymous ids merged into known users (`user_aliases`), and the profile side of the merge. */
export class UserMergeStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Merges `previousId` into `userId` in one transaction under both users' locks (taken in
   * `lockUsers`' order): the known profile takes what it lacks of the previous one, their
   * consent and preference changes are appended with `change`'s source and proof, the previous
   * profile side moves or goes (PROFILE_MERGE_PLAN) and the alias is recorded. `beforeCommit`
   * runs with the outcome before the commit (publish there). The same alias again, once the
   * previous profile is gone, changes nothing and publishes nothing. Throws a ValidationError
   * when `userId` was itself merged into another user, a ConflictError when `previousId` was.
   */
  async alias(
    previousId: string,
    userId: string,
    change: ConsentChangeContext,
    beforeCommit: (outcome: AliasOutcome) => Promise<void>,
  ): Promise<AliasOutcome> {
    if (previousId === userId) throw new ValidationError('invalid alias: an id cannot be merged into itself', [sameIdIssue]);
    return inTransaction(this.dataSource, async (manager) => {
      await lockUsers(manager, [previousId, userId]);
      const aliases = await knownUsersOf(manager, [previousId, userId]);
      const mergedTarget = aliases.get(userId);
      if (mergedTarget !== undefined) {
        throw new ValidationError(`invalid alias: userId ${userId} was merged into ${mergedTarget}`, [
          { path: 'userId', message: `was merged into ${mergedTarget}; alias to ${mergedTarget} instead` },
        ]);
      }
      const aliasedTo = aliases.get(previousId);
      if (aliasedTo !== undefined && aliasedTo !== userId) {
        throw new ConflictError(`previousId ${previousId} was merged into ${aliasedTo}; an id is merged once`);
      }
      const rows: { document: Profile }[] = await manager.query('SELECT document FROM profiles WHERE user_id = ANY($1::text[])', [
        [previousId, userId],
      ]);
      const previous = rows.find((r) => r.document.userId === previousId)?.document;
      if (aliasedTo !== undefined && previous === undefined) {
        const outcome: AliasOutcome = { merged: false };
        await beforeCommit(outcome);
        return outcome;
      }
      const known = rows.find((r) => r.document.userId === userId)?.document ?? emptyProfile(userId, change.at);
      const plan = profileMergePlan(previous ?? emptyProfile(previousId, change.at), known);
      const profile = mergeProfile(known, plan.update, change);
      await manager.query(
        `INSERT INTO profiles (user_id, document, version, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET document = EXCLUDED.document, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [userId, profile, profile.version, change.at],
      );
      // History is ordered by id: the previous id's rows carried below keep their older ids, so
      // these changes (source `alias`) are the newest, and match the merged profile.
      const consentEvents = await appendConsentChanges(manager, known, profile, change);
      await appendPreferenceChanges(manager, known, profile, change);
      const merge: MergedUser = {
        previousId,
        userId,
        at: change.at,
        carried: {
          consent: plan.carriedConsent,
          channels: plan.carriedChannels,
          topics: plan.carriedTopics,
          maxPerWeek: plan.carriedMaxPerWeek,
        },
      };
      await runMergeSteps(manager, PROFILE_MERGE_PLAN, merge);
      const outcome: AliasOutcome = { merged: true, profile, consentEvents };
      await beforeCommit(outcome);
      return outcome;
    });
  }

  /** The known user of each of `ids` that was merged into one (absent: not merged). */
  knownUsersOf(ids: string[]): Promise<Map<string, string>> {
    return knownUsersOf(this.dataSource.manager, ids);
  }
}

const sameIdIssue = { path: 'previousId', message: 'must differ from userId' };

/** The known user of each of `ids` that was merged into one, inside the caller's transaction. */
export async function knownUsersOf(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: { previous_id: string; user_id: string }[] = await manager.query(
    'SELECT previous_id, user_id FROM user_aliases WHERE previous_id = ANY($1::text[])',
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.previous_id, r.user_id]));
}

/**
 * Moves the previous id's rules state to the known user (STATE_MERGE_PLAN), inside the caller's
 * transaction, which holds both users' locks.
 */
export async function mergeUserState(manager: EntityManager, merge: Omit<MergedUser, 'carried'>): Promise<void> {
  await runMergeSteps(manager, STATE_MERGE_PLAN, { ...merge, carried: { consent: [], channels: [], topics: [], maxPerWeek: false } });
}

async function runMergeSteps(manager: EntityManager, steps: readonly MergeStep[], merge: MergedUser): Promise<void> {
  for (const step of steps) {
    for (const { sql, parameters } of step.statements(merge)) await manager.query(sql, parameters);
  }
}
