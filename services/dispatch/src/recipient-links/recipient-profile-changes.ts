import { Inject, Injectable } from '@nestjs/common';
import type { ConsentChangeContext, Profile, ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileMirror, ProfileStore } from '@nudge/persistence';
import { DATA_SOURCE, PRODUCER, TOPICS } from '@nudge/service-runtime';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';

/**
 * What a recipient page's change did: merged and published; nothing, because the user has no
 * stored profile (erased, or never stored: a page creates none); or nothing, because Kafka did
 * not take it in time (the page answers "try again").
 */
export type RecipientChangeOutcome = 'applied' | 'no_profile' | 'unavailable';

/** The profile did not exist before the merge: nothing to change, and no profile to create. */
class NoProfile extends Error {}

/**
 * How dispatch changes a profile for a recipient (unsubscribe link, preference centre, double
 * opt-in confirmation, a chat bound through a widget), as ingest does:
 * merged under the user's lock with its consent changes appended to the history (time, source,
 * proof), the profile and its `consent_*` events published on the profiles and events topics
 * within DISPATCH_PUBLISH_TIMEOUT_MS before the change commits — so rules' next decision sees it.
 */
@Injectable()
export class RecipientProfileChanges {
  private readonly profiles: ProfileStore;
  private readonly mirror: ProfileMirror;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @InjectPinoLogger('recipient-links') private readonly logger: PinoLogger,
  ) {
    this.profiles = new ProfileStore(dataSource);
    this.mirror = new ProfileMirror(
      this.profiles,
      (userId, profile, consentEvents, afterLate) =>
        this.producer.publishProfileChange(this.topics, userId, profile, consentEvents, this.config.DISPATCH_PUBLISH_TIMEOUT_MS, afterLate),
      this.logger,
    );
  }

  /** The user's stored profile, or null (a page shows it; the change itself reads it again under the lock). */
  profileOf(userId: string): Promise<Profile | null> {
    return this.profiles.get(userId);
  }

  /**
   * Merges `update` under the user's lock and publishes the profile and its consent events
   * before the change commits. `check` sees the profile as it was and as merged, under the
   * lock, and throws to change nothing. Every failure (the check's, Kafka's deadline, the
   * database's) is thrown: nothing was recorded.
   */
  async merge(
    userId: string,
    update: ProfileUpdate,
    change: ConsentChangeContext,
    check?: (previous: Profile, merged: Profile) => void,
  ): Promise<Profile> {
    return this.profiles.merge(userId, update, change, async (merged, consentEvents, previous) => {
      check?.(previous, merged);
      await this.mirror.publish(userId, merged, consentEvents);
    });
  }

  /**
   * Merges `update` into an existing profile and publishes it; never creates one. A failure
   * (Kafka's deadline, the database) is logged and answered `unavailable`: nothing changed.
   */
  async apply(userId: string, update: ProfileUpdate, change: ConsentChangeContext): Promise<RecipientChangeOutcome> {
    try {
      await this.merge(userId, update, change, (_previous, merged) => {
        if (merged.version === 1) throw new NoProfile();
      });
    } catch (error) {
      if (error instanceof NoProfile) return 'no_profile';
      this.logger.error({ err: error, userId, source: change.source }, 'recipient page change not applied');
      return 'unavailable';
    }
    return 'applied';
  }
}
