import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** One Prometheus registry per service (several services may share a test process). */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;

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
  }

  /** For a batch consumer's `onLag`: records how far behind a partition is. */
  readonly recordConsumerLag = (topic: string, partition: number, lag: number): void => {
    this.consumerLag.set({ topic, partition: String(partition) }, lag);
  };

  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
