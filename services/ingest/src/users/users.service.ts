import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, type Profile, type ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileStore } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import { databaseFailure, publishFailure } from '../common/infrastructure-failures';

/**
 * Profiles (SPEC §4). Postgres holds the truth; the compacted profiles topic mirrors it.
 * Every change is published before its transaction commits, so a failed publish (503)
 * leaves the stored profile as it was, and the topic never misses a committed change.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly profiles: ProfileStore,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
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
      await this.producer.publish(this.topics.profiles, [{ key: userId, value: profile }]);
    } catch (error) {
      throw publishFailure(error, profile ? 'the profile' : 'the erasure');
    }
  }
}

function rethrowDatabaseFailure(error: unknown): never {
  throw databaseFailure(error);
}
