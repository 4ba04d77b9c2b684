import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type ConsentProof, type EventEnvelope, type Profile, type ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileStore, type ConsentHistoryPage, type PreferenceHistoryPage } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import { databaseFailure, publishFailure } from '../common/infrastructure-failures';
import { INGEST_CONFIG, type IngestConfig } from '../config';

/**
 * Profiles (SPEC §4). Postgres holds the truth; the compacted profiles topic mirrors it.
 * Every change is published before its transaction commits, so a failed publish (503)
 * leaves the stored profile as it was, and the topic never misses a committed change.
 * A change's consent changes are appended to the consent history in the same transaction,
 * and their `consent_*` events published on the events topic alongside the profile, within
 * the same deadline.
 * The publish waits at most INGEST_PUBLISH_TIMEOUT_MS (the transaction holds the user's lock
 * and a pooled connection meanwhile): on a lost broker the request answers 503 and rolls back.
 * A send acknowledged after that deadline leaves the topic one record ahead of Postgres for
 * that user (the uncommitted profile, or a tombstone of a user who still exists) until the
 * user's next change or erasure publishes the truth again.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly profiles: ProfileStore,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

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
  merge(userId: string, update: ProfileUpdate, origin: { source: string; proof: ConsentProof }): Promise<Profile> {
    const change = { at: new Date().toISOString(), ...origin };
    return this.profiles
      .merge(userId, update, change, (profile, consentEvents) => this.publish(userId, profile, consentEvents))
      .catch(rethrowDatabaseFailure);
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
      await this.producer.publishProfileChange(this.topics, userId, profile, consentEvents, this.config.INGEST_PUBLISH_TIMEOUT_MS);
    } catch (error) {
      throw publishFailure(error, profile ? 'the profile' : 'the erasure');
    }
  }
}

function rethrowDatabaseFailure(error: unknown): never {
  throw databaseFailure(error);
}
