import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import { deliveryUpdateOf, messageEventOf, type StatusChange } from './status-change';

/**
 * Publishes status changes: a DeliveryUpdate and the `message_*` event of each, in one
 * request, with `moreEvents` (a reply to a message already `replied` is an event, not a change).
 */
@Injectable()
export class StatusChangesPublisher {
  constructor(
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
  ) {}

  async publish(changes: StatusChange[], moreEvents: EventEnvelope[] = []): Promise<void> {
    if (changes.length === 0 && moreEvents.length === 0) return;
    const events = [...changes.map(messageEventOf).filter((event): event is EventEnvelope => event !== null), ...moreEvents];
    await this.producer.publishMany([
      {
        topic: this.topics.deliveries,
        records: changes.map((change) => ({ key: change.message.userId, value: deliveryUpdateOf(change) })),
      },
      { topic: this.topics.events, records: events.map((event) => ({ key: event.userId, value: event })) },
    ]);
  }
}
