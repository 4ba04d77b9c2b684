import { Inject, Injectable } from '@nestjs/common';
import type { Channel, Profile, ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileStore } from '@nudge/persistence';
import { DATA_SOURCE, PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';

/**
 * Withdraws marketing consent on a channel (an inbound STOP), as ingest changes profiles:
 * merged under the user's lock with the time and source in the consent log, and the
 * profile published on the profiles topic (keyed by user id) before the change commits.
 * Rules reads the stored profile, so its next decision sees it.
 */
@Injectable()
export class ConsentWithdrawal {
  private readonly profiles: ProfileStore;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
  ) {
    this.profiles = new ProfileStore(dataSource);
  }

  withdrawMarketing(userId: string, channel: Channel, change: { at: string; source: string }): Promise<Profile> {
    const update: ProfileUpdate = { channels: { [channel]: { consent: { marketing: false } } } };
    return this.profiles.merge(userId, update, change, (profile) =>
      this.producer.publish(this.topics.profiles, [{ key: userId, value: profile }]),
    );
  }
}
