import { Inject, Injectable, Logger } from '@nestjs/common';
import { ServiceUnavailableError, ValidationError, type EventEnvelope } from '@nudge/contracts';
import { eventRecord, type JsonProducer, type TopicNames } from '@nudge/kafka';
import { PRODUCER, ServiceMetrics, TOPICS, traceHeaders } from '@nudge/service-runtime';
import type { Counter } from 'prom-client';
import { INGEST_CONFIG, type IngestConfig } from '../config';
import { publishFailure } from '../common/infrastructure-failures';
import { envelopeOfEvent, envelopesOfBatch, eventsClaimedBy } from './event-envelopes';

type EventsResult = 'accepted' | 'rejected' | 'unavailable';

/** Accepts events: validate and complete them, publish them to the events topic keyed by user. */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);
  private readonly eventsTotal: Counter<'result'>;

  constructor(
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    metrics: ServiceMetrics,
  ) {
    this.eventsTotal = metrics.counter('nudge_ingest_events_total', 'Events received by ingest, by result', ['result']);
    for (const result of ['accepted', 'rejected', 'unavailable'] as const) this.eventsTotal.inc({ result }, 0);
  }

  /** `POST /v1/events`: the number of events accepted (1). */
  acceptOne(body: unknown): Promise<number> {
    return this.accept(body, (receivedAt) => [envelopeOfEvent(body, receivedAt, this.ageLimit)]);
  }

  /** `POST /v1/events/batch`: all or nothing; the number of distinct events accepted. */
  acceptBatch(body: unknown): Promise<number> {
    return this.accept(body, (receivedAt) => envelopesOfBatch(body, receivedAt, this.ageLimit));
  }

  /**
   * Envelopes already checked and completed elsewhere (the Segment-compatible routes): published
   * and counted exactly as a batch is, in one producer call.
   */
  async acceptEnvelopes(envelopes: EventEnvelope[]): Promise<number> {
    await this.publish(envelopes);
    this.count('accepted', envelopes.length);
    return envelopes.length;
  }

  /** Counts events of a request refused as invalid before they became envelopes. */
  countRejected(events: number): void {
    this.count('rejected', events);
  }

  private get ageLimit() {
    return { maxEventAgeMs: this.config.NUDGE_MAX_EVENT_AGE };
  }

  private async accept(body: unknown, envelopesOf: (receivedAt: Date) => EventEnvelope[]): Promise<number> {
    const envelopes = this.validate(body, envelopesOf);
    await this.publish(envelopes);
    this.count('accepted', envelopes.length);
    this.logger.debug(`accepted ${envelopes.length} events`);
    return envelopes.length;
  }

  private validate(body: unknown, envelopesOf: (receivedAt: Date) => EventEnvelope[]): EventEnvelope[] {
    try {
      return envelopesOf(new Date());
    } catch (error) {
      if (error instanceof ValidationError) this.count('rejected', eventsClaimedBy(body));
      throw error;
    }
  }

  /**
   * One producer call for the whole request, so a batch is acknowledged as a whole or the
   * client gets a 503 and retries it. Records of a batch that did reach Kafka before a
   * failure are then published twice, which is harmless only because eventId is the
   * idempotency key downstream: retries must reuse the eventIds of the first attempt
   * (when the client sent none, we generated them and its retry cannot match them).
   */
  private async publish(envelopes: EventEnvelope[]): Promise<void> {
    // The request's span goes with every record (W3C traceparent), when tracing is on; the
    // event's name lets consumers skip what they do not want without decoding it.
    const headers = traceHeaders();
    const records = envelopes.map((envelope) => eventRecord(envelope, headers));
    try {
      await this.producer.publishWithin(this.topics.events, records, this.config.INGEST_PUBLISH_TIMEOUT_MS);
    } catch (error) {
      const failure = publishFailure(error, `a request of ${envelopes.length} events`);
      this.count(failure instanceof ServiceUnavailableError ? 'unavailable' : 'rejected', envelopes.length);
      throw failure;
    }
  }

  private count(result: EventsResult, events: number): void {
    this.eventsTotal.inc({ result }, events);
  }
}
