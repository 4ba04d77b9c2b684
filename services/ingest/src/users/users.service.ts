import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Profile, type ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileStore } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import { databaseFailure, publishFailure } from '../common/infrastructure-failures';
import { INGEST_CONFIG, type IngestConfig } from '../config';

/**
 * Profiles (SPEC §4). Postgres holds the truth; the compacted profiles topic mirrors it.
 * Every change is published before its transaction commits, so a failed publish (503)
 * leaves the stored profile as it was, and the topic never misses a committed change.
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

  /** Merges an update; consent changes are logged with `at` and `source` (proof of opt-in). */
  merge(userId: string, update: ProfileUpdate, source: string): Promise<Profile> {
    const change = { at: new Date().toISOString(), source };
    return this.profiles.merge(userId, update, change, (profile) => this.publish(userId, profile)).catch(rethrowDatabaseFailure);
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

  private async publish(userId: string, profile: Profile | null): Promise<void> {
    try {
      await this.producer.publishWithin(this.topics.profiles, [{ key: userId, value: profile }], this.config.INGEST_PUBLISH_TIMEOUT_MS);
    } catch (error) {
      throw publishFailure(error, profile ? 'the profile' : 'the erasure');
    }
  }
}

function rethrowDatabaseFailure(error: unknown): never {
  throw databaseFailure(error);
}
