import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { sendRequestSchemaFor, type SendRequest } from '@nudge/contracts';
import {
  coalescing,
  startBatchConsumer,
  type ConsumedRecord,
  type JsonProducer,
  type RejectedRecord,
  type RunningConsumer,
  type TopicNames,
} from '@nudge/kafka';
import { KAFKA, PRODUCER, RecordTraces, ServiceMetrics, TOPICS, type ConsumeSpans } from '@nudge/service-runtime';
import type { Kafka } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { IntakeService } from './intake.service';

const INTAKE_SPANS: ConsumeSpans = { batch: 'dispatch.consume', record: 'dispatch.intake' };
const sendIdOf = (record: ConsumedRecord<SendRequest>) => record.value.sendId;

/** Consumes `nudge.dispatch.v1`; invalid records and unusable requests go to its DLQ. */
@Injectable()
export class SendRequestsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: RunningConsumer | null = null;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly metrics: ServiceMetrics,
    private readonly traces: RecordTraces,
    private readonly intake: IntakeService,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @InjectPinoLogger('send-requests') private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Batches of several partitions that arrive while one is being stored go in one transaction.
    const accept = coalescing((records: ConsumedRecord<SendRequest>[]) => this.intake.accept(records), {
      itemOf: (rejected: RejectedRecord<SendRequest>) => rejected.record,
    });
    this.consumer = await startBatchConsumer({
      kafka: this.kafka,
      groupId: `${this.topics.prefix}nudge-dispatch`,
      topics: [this.topics.dispatch],
      // Ids, message text and the trigger event within the limits ingest enforces (no NUL,
      // which Postgres cannot store); the event's timestamp is judged against its receivedAt.
      schema: sendRequestSchemaFor({ maxEventAgeMs: this.config.NUDGE_MAX_EVENT_AGE }),
      // One transaction per call, and a request stored again is ignored (unique send id): a
      // slice may be retried and split. A retry runs alone, not grouped with other
      // partitions' requests, so one poisoned request cannot take theirs to the DLQ.
      // Each request's intake is a child span of its decision, remembered by send id for the provider call (when tracing is on).
      handle: (records, { alone }) =>
        this.traces.consume(INTAKE_SPANS, records, sendIdOf, () => (alone ? this.intake.accept(records) : accept(records)), true),
      deadLetters: this.producer,
      logger: this.logger,
      ...this.metrics.consumerHooks,
    });
  }

  /** Stops consuming before the sender and the connections stop; the batch in hand commits. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
