import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@nudge/service-runtime';
import type { Counter } from 'prom-client';

/** `nudge_dispatch_sends_total{channel, provider, status}`: provider calls by what came of them. */
@Injectable()
export class SendMetrics {
  readonly sends: Counter<'channel' | 'provider' | 'status'>;

  constructor(metrics: ServiceMetrics) {
    this.sends = metrics.counter(
      'nudge_dispatch_sends_total',
      'Provider calls by channel, provider and resulting status (sent, delivered, retrying, failed)',
      ['channel', 'provider', 'status'],
    );
  }
}
