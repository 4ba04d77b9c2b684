import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ConsumerProgress } from './consumer-progress';

/**
 * The stages of a message's way, each timed by `nudge_stage_seconds{stage}`:
 * `event_to_decided` (rules: the event's decision committed, from ingest's `receivedAt`),
 * `decided_to_queued` (dispatch: the message stored, from rules' `decidedAt`),
 * `queued_to_sent` (dispatch: the provider accepted it, from its storage).
 */
export type Stage = 'event_to_decided' | 'decided_to_queued' | 'queued_to_sent';

/** Seconds, from a few milliseconds (zero-delay sends) to an hour (delays, retries, quiet hours). */
const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
/** Seconds, for calls that answer in milliseconds to a timeout. */
const CALL_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * One Prometheus registry per service (several services may share a test process). Process
 * metrics carry the stock names (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`, …)
 * so that stock Node dashboards work; Nudge's own start with `nudge_`.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** HTTP request durations by route template (never the URL), method and status class (`2xx`…). */
  readonly httpRequestSeconds: Histogram<'method' | 'route' | 'status_class'>;
  readonly stageSeconds: Histogram<'stage'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly deadLetters: Counter<'topic' | 'kind'>;
  /** Where the service's consumed partitions stand, for `/health`'s stall check. */
  readonly consumerProgress = new ConsumerProgress();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'nudge_http_requests_total',
      help: 'HTTP requests served, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpRequestSeconds = this.histogram(
      'nudge_http_request_duration_seconds',
      'HTTP request durations, by route template, method and status class',
      ['method', 'route', 'status_class'],
      CALL_BUCKETS,
    );
    this.stageSeconds = this.histogram(
      'nudge_stage_seconds',
      'Time from one stage of a message to the next: event_to_decided (rules), decided_to_queued and queued_to_sent (dispatch)',
      ['stage'],
      STAGE_BUCKETS,
    );
    this.consumerLag = new Gauge({
      name: 'nudge_consumer_lag',
      help: 'Records behind the end of each consumed partition, at the last batch',
      labelNames: ['topic', 'partition'],
      registers: [this.registry],
    });
    this.deadLetters = new Counter({
      name: 'nudge_dlq_records_total',
      help: 'Records sent to a dead-letter topic, by source topic and kind (invalid_json, invalid_schema, handler_failed, …)',
      labelNames: ['topic', 'kind'],
      registers: [this.registry],
    });
  }

  /** For a batch consumer's `onLag`: records how far behind a partition is, and that it advanced. */
  readonly recordConsumerLag = (topic: string, partition: number, lag: number): void => {
    this.consumerLag.set({ topic, partition: String(partition) }, lag);
    this.consumerProgress.advanced(topic, partition, lag);
  };

  /** The hooks of a batch consumer (`startBatchConsumer`): lag, progress for `/health`, dead letters. */
  readonly consumerHooks = {
    onLag: this.recordConsumerLag,
    onFetched: (topic: string, partition: number, lag: number): void => {
      this.consumerProgress.fetched(topic, partition, lag);
    },
    onAssigned: (assignment: Record<string, number[]>): void => {
      this.consumerProgress.assigned(assignment);
    },
    onDeadLetter: (topic: string, kind: string): void => {
      this.deadLetters.inc({ topic, kind });
    },
  };

  /** Observes the time from `since` (an ISO time or epoch ms) to `now` (epoch ms) for `stage`; an unreadable time is skipped. */
  observeStage(stage: Stage, since: string | number, now: number): void {
    const from = typeof since === 'number' ? since : Date.parse(since);
    if (Number.isFinite(from)) this.stageSeconds.observe({ stage }, Math.max(0, now - from) / 1_000);
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[] = CALL_BUCKETS): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}
