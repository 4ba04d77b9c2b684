import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@nudge/service-runtime';
import type { Counter, Gauge } from 'prom-client';

/**
 * `nudge_dispatch_sends_total{channel, provider, status}`: provider calls by what came of them;
 * `nudge_dispatch_lease_lost_total{provider, stage}`: messages whose lease a batch lost;
 * `nudge_dispatch_breaker_open{provider}`: 1 while a provider's circuit breaker is open;
 * and the `queued_to_sent` stage of `nudge_stage_seconds`.
 */
@Injectable()
export class SendMetrics {
  readonly sends: Counter<'channel' | 'provider' | 'status'>;
  readonly leaseLost: Counter<'provider' | 'stage'>;
  readonly breakerOpen: Gauge<'provider'>;

  constructor(private readonly metrics: ServiceMetrics) {
    this.sends = metrics.counter(
      'nudge_dispatch_sends_total',
      'Provider calls by channel, provider and resulting status (sent, delivered, retrying, failed, expired, unknown, held)',
      ['channel', 'provider', 'status'],
    );
    this.leaseLost = metrics.counter(
      'nudge_dispatch_lease_lost_total',
      'Messages whose lease their batch lost: before_call (no call made) or after_call (the result was not recorded)',
      ['provider', 'stage'],
    );
    this.breakerOpen = metrics.gauge(
      'nudge_dispatch_breaker_open',
      "1 while a provider's circuit breaker is open (its messages are held, queued), 0 once it closed",
      ['provider'],
    );
  }

  /** `queued_to_sent` of a message the provider took (`sent`, or `delivered` at once), from its storage to `at`. */
  timeSent(message: { createdAt: string }, outcome: string, at: string): void {
    if (outcome === 'sent' || outcome === 'delivered') this.metrics.observeStage('queued_to_sent', message.createdAt, Date.parse(at));
  }
}
