import { Inject, Injectable } from '@nestjs/common';
import {
  CONSENT_SOURCES,
  NotFoundError,
  userMergedEvent,
  type ConsentProof,
  type EventEnvelope,
  type Profile,
  type ProfileUpdate,
} from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileMirror, ProfileStore, UserMergeStore, type ConsentHistoryPage, type PreferenceHistoryPage } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { databaseFailure, publishFailure } from '../common/infrastructure-failures';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { KnownUsers } from './known-users';

/**
 * Profiles (SPEC §4). Postgres holds the truth; the compacted profiles topic mirrors it.
 * Every change is published before its transaction commits, so a failed publish (503)
 * leaves the stored profile as it was, and the topic never misses a committed change.
 * A change's consent changes are appended to the consent history in the same transaction,
 * and their `consent_*` events published on the events topic alongside the profile, within
 * the same deadline.
 * The publish waits at most INGEST_PUBLISH_TIMEOUT_MS (the transaction holds the user's lock
 * and a pooled connection meanwhile): on a lost broker the request answers 503 and rolls back.
 * A send acknowledged after that deadline (the uncommitted profile, or a tombstone of a user
 * who still exists) may even land after the user's next change: once it settles, the stored
 * profile is published again (`ProfileMirror`), so the topic ends with what Postgres holds.
 */
@Injectable()
export class UsersService {
  private readonly mirror: ProfileMirror;
  private readonly knownUsers: KnownUsers;

  constructor(
    private readonly profiles: ProfileStore,
    private readonly merges: UserMergeStore,
    @Inject(PRODUCER) producer: JsonProducer,
    @Inject(TOPICS) topics: TopicNames,
    @Inject(INGEST_CONFIG) config: IngestConfig,
    @InjectPinoLogger('users') logger: PinoLogger,
  ) {
    this.mirror = new ProfileMirror(
      profiles,
      (id, profile, consentEvents, afterLate) =>
        producer.publishProfileChange(topics, id, profile, consentEvents, config.INGEST_PUBLISH_TIMEOUT_MS, afterLate),
      logger,
    );
    this.knownUsers = new KnownUsers((ids) => merges.knownUsersOf(ids));
  }

  async get(userId: string): Promise<Profile> {
    const profile = await this.profiles.get(userId).catch(rethrowDatabaseFailure);
    if (!profile) throw new NotFoundError(`no profile for user ${userId}`);
    return profile;
  }

  /** A page of the user's consent history, newest first (SPEC §9). */
  async consentHistory(userId: string, page: { limit: number; cursor?: string }): Promise<ConsentHistoryPage & { userId: string }> {
    const history = await this.profiles
      .consentHistory(userId, { limit: page.limit, ...(page.cursor === undefined ? {} : { before: page.cursor }) })
      .catch(rethrowDatabaseFailure);
    if (!history) throw new NotFoundError(`no profile for user ${userId}`);
    return { userId, ...history };
  }

  /** A page of the user's preference history (topics, weekly maximum), newest first, paged like the consent history. */
  async preferenceHistory(userId: string, page: { limit: number; cursor?: string }): Promise<PreferenceHistoryPage & { userId: string }> {
    const history = await this.profiles
      .preferenceHistory(userId, { limit: page.limit, ...(page.cursor === undefined ? {} : { before: page.cursor }) })
      .catch(rethrowDatabaseFailure);
    if (!history) throw new NotFoundError(`no profile for user ${userId}`);
    return { userId, ...history };
  }

  /** Merges an update; consent changes are recorded with the time, `source` and `proof` (proof of opt-in). */
  merge(
    userId: string,
    update: ProfileUpdate | ((current: Profile) => ProfileUpdate),
    origin: { source: string; proof: ConsentProof },
  ): Promise<Profile> {
    const change = { at: new Date().toISOString(), ...origin };
    return this.profiles
      .merge(userId, update, change, (profile, consentEvents) => this.publish(userId, profile, consentEvents))
      .catch(rethrowDatabaseFailure);
  }

  /**
   * Merges the anonymous `previousId` into the known `userId` (`alias`): in one transaction under
   * both users' locks, the known profile takes what it lacks of the previous one (its own values
   * win; the consent it takes is recorded as changes with source `alias` and `origin`'s proof),
   * the alias is recorded and the previous profile deleted (UserMergeStore.alias); before the
   * commit, within INGEST_PUBLISH_TIMEOUT_MS, the previous profile's tombstone, the known profile
   * and the `user_merged` event (keyed by `userId`: rules moves the previous id's timers, runs and
   * ledgers on it) are published. Idempotent: the same alias again changes and publishes nothing.
   * `origin.source` names the caller (`api`, `segment`) in the event's context; the consent
   * history says `alias`, with `origin.proof`.
   */
  async alias(previousId: string, userId: string, origin: { source: string; proof: ConsentProof }): Promise<void> {
    const at = new Date().toISOString();
    const change = { at, source: CONSENT_SOURCES.alias, proof: origin.proof };
    await this.merges
      .alias(previousId, userId, change, async (outcome) => {
        if (!outcome.merged) return;
        await Promise.all([
          this.publish(previousId, null),
          this.publish(userId, outcome.profile, [...outcome.consentEvents, userMergedEvent({ previousId, userId }, at, origin.source)]),
        ]);
      })
      .catch(rethrowDatabaseFailure);
    this.knownUsers.remember(previousId, userId);
  }

  /**
   * The known user of each of `ids` that was merged into one (absent: not merged), from a short
   * cache: a Segment route keys a later event of an anonymous id to its known user. An alias
   * made a moment ago on another instance may be missed; rules resolves the event anyway.
   */
  resolve(ids: string[]): Promise<Map<string, string>> {
    return this.knownUsers.resolve(ids).catch(rethrowDatabaseFailure);
  }

  /**
   * Erases a user from every table in one transaction (the profile deleted, personal values
   * elsewhere blanked, user ids hashed, pending sends and journey timers cancelled, the
   * erasure marker written for dispatch). Idempotent: erasing an unknown user also succeeds
   * and also publishes the tombstone, so every reader of the topic drops whatever copy it
   * may hold.
   */
  async erase(userId: string): Promise<void> {
    await this.profiles.erase(userId, new Date(), () => this.publish(userId, null)).catch(rethrowDatabaseFailure);
  }

  /** The profile (or its tombstone) and the change's consent events, both within INGEST_PUBLISH_TIMEOUT_MS. */
  private async publish(userId: string, profile: Profile | null, consentEvents: EventEnvelope[] = []): Promise<void> {
    try {
      await this.mirror.publish(userId, profile, consentEvents);
    } catch (error) {
      throw publishFailure(error, profile ? 'the profile' : 'the erasure');
    }
  }
}

function rethrowDatabaseFailure(error: unknown): never {
  throw databaseFailure(error);
}
