import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { eventEnvelopeSchema } from '@nudge/contracts';
import { startBatchConsumer, type JsonProducer, type RunningConsumer, type TopicNames } from '@nudge/kafka';
import { KAFKA, PRODUCER, ServiceMetrics, TOPICS } from '@nudge/service-runtime';
import type { Kafka } from 'kafkajs';
import { TriggerEvaluation } from './trigger-evaluation.service';

/** Consumes `nudge.events.v1`: one consumer group for all rules instances, keyed by user. */
@Injectable()
export class TriggerConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('trigger-consumer');
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly evaluation: TriggerEvaluation,
    private readonly metrics: ServiceMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await startBatchConsumer({
      kafka: this.kafka,
      groupId: `${this.topics.prefix}nudge-rules`,
      topics: [this.topics.events],
      schema: eventEnvelopeSchema,
      deadLetters: this.producer,
      logger: {
        warn: (o, m) => this.logger.warn(`${m} ${JSON.stringify(o)}`),
        error: (o, m) => this.logger.error(`${m} ${JSON.stringify(o)}`),
      },
      onLag: (topic, partition, lag) => this.metrics.consumerLag.set({ topic, partition: String(partition) }, lag),
      handle: async (records) => {
        await this.evaluation.evaluate(records.map((r) => r.value));
      },
    });
  }

  /** Finishes the batch in hand and commits its offsets before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
