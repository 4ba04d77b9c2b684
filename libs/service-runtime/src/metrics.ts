import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { ConsumerProgress } from './consumer-progress';

/** One Prometheus registry per service (several services may share a test process). */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly deadLetters: Counter<'topic' | 'kind'>;
  /** Where the service's consumed partitions stand, for `/health`'s stall check. */
  readonly consumerProgress = new ConsumerProgress();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'nudge_' });
    this.httpRequests = new Counter({
      name: 'nudge_http_requests_total',
      help: 'HTTP requests served, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
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

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
