import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  EVENT_NAME_HEADER,
  eventEnvelopeSchemaFor,
  USER_MERGED_EVENT,
  withEventRecordDefaults,
  type EventEnvelope,
} from '@nudge/contracts';
import { isOptInRequest } from '@nudge/decisions';
import {
  coalescing,
  headerText,
  startBatchConsumer,
  type ConsumedRecord,
  type JsonProducer,
  type RunningConsumer,
  type TopicNames,
} from '@nudge/kafka';
import { KAFKA, PRODUCER, RecordTraces, ServiceMetrics, TOPICS, type ConsumeSpans } from '@nudge/service-runtime';
import type { Kafka } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { TriggerEvaluation } from './trigger-evaluation.service';

const DECIDE_SPANS: ConsumeSpans = { batch: 'rules.consume', record: 'rules.decide' };
const eventIdOf = (record: ConsumedRecord<EventEnvelope>) => record.value.eventId;

/** Consumes `nudge.events.v1`: one consumer group for all rules instances, keyed by user. */
@Injectable()
export class TriggerConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: RunningConsumer | undefined;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly evaluation: TriggerEvaluation,
    private readonly catalog: CampaignCatalog,
    private readonly metrics: ServiceMetrics,
    private readonly traces: RecordTraces,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
    @InjectPinoLogger('trigger-consumer') private readonly logger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Batches of several partitions that arrive while one is being evaluated go in one transaction.
    const evaluate = coalescing((events: EventEnvelope[]) => this.evaluation.evaluate(events));
    this.consumer = await startBatchConsumer({
      kafka: this.kafka,
      groupId: `${this.topics.prefix}nudge-rules`,
      topics: [this.topics.events],
      // The limits of ingest, so a record produced straight into the topic cannot carry
      // more; its timestamp is judged against its own receivedAt (replays stay valid).
      schema: eventEnvelopeSchemaFor({ maxEventAgeMs: this.config.NUDGE_MAX_EVENT_AGE }),
      // An event another producer wrote in SPEC §3's shape is completed as ingest completes an
      // HTTP one (receivedAt from the Kafka timestamp, an eventId from the record's place, …);
      // a complete envelope passes after a few property reads.
      complete: withEventRecordDefaults,
      // Most events (message_* receipts, events no campaign names) need no decision: skip
      // them by the name their producer put in a header, before the cost of JSON.parse and
      // schema validation; a record without that header, by the name in its body.
      wantsHeaders: (headers) => {
        const name = headerText(headers, EVENT_NAME_HEADER);
        return name === undefined || this.decides(name);
      },
      wants: (value) => {
        // A record with no name is malformed: let validation dead-letter it.
        const name = (value as { name?: unknown } | null)?.name;
        return typeof name !== 'string' || this.decides(name);
      },
      // Another rules instance may have saved a campaign a moment ago: its events must not be
      // skipped (or decided) by this instance's older catalog.
      beforeBatch: () => this.catalog.ensureCurrent(),
      deadLetters: this.producer,
      logger: this.logger,
      ...this.metrics.consumerHooks,
      // One transaction per call, and an event evaluated again is skipped (processed_events):
      // a slice may be retried and split. A retry runs alone, not grouped with other
      // partitions' events, so one poisoned event cannot take theirs to the DLQ.
      // Each event's decision is a child span of its ingest request (when tracing is on).
      handle: async (records, { alone }) => {
        const events = records.map((r) => r.value);
        await this.traces.consume(DECIDE_SPANS, records, eventIdOf, async () => {
          await (alone ? this.evaluation.evaluate(events) : evaluate(events));
        });
        const decidedAt = Date.now();
        for (const event of events) this.metrics.observeStage('event_to_decided', event.receivedAt, decidedAt);
      },
    });
  }

  /** Whether an event of this name may need a decision: a campaign names it, it asks for an opt-in, or it merges users. */
  private decides(name: string): boolean {
    return this.catalog.index.isRelevant(name) || isOptInRequest({ name }) || name === USER_MERGED_EVENT;
  }

  /** Finishes the batch in hand and commits its offsets before the database goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
