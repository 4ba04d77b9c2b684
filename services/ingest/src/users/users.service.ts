import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type ConsentProof, type EventEnvelope, type Profile, type ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileMirror, ProfileStore, type ConsentHistoryPage, type PreferenceHistoryPage } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
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
 * A send acknowledged after that deadline (the uncommitted profile, or a tombstone of a user
 * who still exists) may even land after the user's next change: once it settles, the stored
 * profile is published again (`ProfileMirror`), so the topic ends with what Postgres holds.
 */
@Injectable()
export class UsersService {
  private readonly mirror: ProfileMirror;

  constructor(
    private readonly profiles: ProfileStore,
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
      await this.mirror.publish(userId, profile, consentEvents);
    } catch (error) {
      throw publishFailure(error, profile ? 'the profile' : 'the erasure');
    }
  }
}

function rethrowDatabaseFailure(error: unknown): never {
  throw databaseFailure(error);
}
