import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@nudge/service-runtime';
import type { Counter } from 'prom-client';

/** `nudge_dispatch_outbox_published_total` and `nudge_dispatch_outbox_relay_failures_total`. */
@Injectable()
export class OutboxMetrics {
  readonly published: Counter<never>;
  readonly failures: Counter<never>;

  constructor(metrics: ServiceMetrics) {
    this.published = metrics.counter(
      'nudge_dispatch_outbox_published_total',
      'Outbox records (status changes) published to Kafka: each its DeliveryUpdate and its message_* event',
      [],
    );
    this.failures = metrics.counter(
      'nudge_dispatch_outbox_relay_failures_total',
      'Outbox batches that could not be published (broker or database down); they are retried',
      [],
    );
  }
}
