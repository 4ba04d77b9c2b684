import { Inject, Injectable } from '@nestjs/common';
import { ServiceUnavailableError, type Channel, type Profile, type ProfileUpdate } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { ProfileStore } from '@nudge/persistence';
import { DATA_SOURCE, PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';

/**
 * Withdraws marketing consent on a channel (an inbound STOP), as ingest changes profiles:
 * merged under the user's lock with the time and source in the consent log and history, and
 * the profile and its `consent_withdrawn` event published on the profiles and events topics
 * (keyed by user id) before the change commits.
 * Rules reads the stored profile, so its next decision sees it.
 *
 * The publish waits at most DISPATCH_PUBLISH_TIMEOUT_MS: the transaction holds the user's lock
 * and a pooled connection meanwhile, and kafkajs alone would retry a lost broker for about a
 * minute while the provider's webhook request hangs. Past the deadline (or on any publish
 * failure) the change rolls back and the webhook answers 503, which providers redeliver.
 * A send acknowledged after the deadline (kafkajs still retries it) puts a never-committed
 * profile on the topic, possibly after the redelivered STOP's: the same withdrawal, with the
 * failed try's time in the consent log, until the user's next change publishes the truth again.
 */
@Injectable()
export class ConsentWithdrawal {
  private readonly profiles: ProfileStore;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
  ) {
    this.profiles = new ProfileStore(dataSource);
  }

  withdrawMarketing(userId: string, channel: Channel, change: { at: string; source: string }): Promise<Profile> {
    const update: ProfileUpdate = { channels: { [channel]: { consent: { marketing: false } } } };
    return this.profiles.merge(userId, update, change, async (profile, consentEvents) => {
      try {
        await this.producer.publishProfileChange(this.topics, userId, profile, consentEvents, this.config.DISPATCH_PUBLISH_TIMEOUT_MS);
      } catch (error) {
        throw withdrawalUnpublished(error, channel);
      }
    });
  }
}

/**
 * What a STOP whose profile Kafka did not take means to the provider: unavailable (503), to
 * redeliver as it was. Whatever the publish failed with (its deadline, kafkajs giving up, a
 * broker refusing), nothing of the message was kept, so the redelivery is its only chance.
 */
export function withdrawalUnpublished(error: unknown, channel: Channel): ServiceUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ServiceUnavailableError(
    `the unsubscribe on ${channel} was not applied: Kafka did not take the profile change (${reason}); ` +
      'nothing of the inbound message was recorded, deliver the webhook again',
    { cause: error },
  );
}
