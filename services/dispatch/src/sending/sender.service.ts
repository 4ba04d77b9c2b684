import { Inject, Injectable } from '@nestjs/common';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { addressKey, InboundMessagesStore } from '../inbound/inbound-messages.store';
import { MessageStore, type ClaimedMessage } from '../messages/message.store';
import { StatusChangesPublisher } from '../messages/status-changes.publisher';
import { ActiveProviders } from '../providers/active-providers';
import type { ProvidersInForce } from '../providers/providers-from-settings';
import { settleAttempt } from './attempt-settlement';
import { callProviders, type BatchContext } from './provider-calls';
import type { RetryPolicy } from './retry-backoff';
import { SendMetrics } from './send-metrics';
import { SendThrottle } from './send-throttle';

/**
 * Sends one batch of ready messages: take rate-limit tokens → claim (lease + attempt
 * count; a rate-limited provider only what its tokens allow) → look up when recipients
 * last wrote, for providers with a session window (one query) → call the providers →
 * write every outcome in one statement and publish the status changes before that commits.
 * A crash after the claim leaves the lease to run out; the message is then retried with the
 * same id as idempotency key. A failed publish rolls the outcome back the same way, and a
 * re-publish dedups in rules by its deterministic event ids.
 */
@Injectable()
export class SenderService {
  private readonly policy: RetryPolicy;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: MessageStore,
    private readonly publisher: StatusChangesPublisher,
    private readonly providers: ActiveProviders,
    private readonly throttle: SendThrottle,
    private readonly inbound: InboundMessagesStore,
    private readonly metrics: SendMetrics,
  ) {
    this.policy = { maxAttempts: config.DISPATCH_MAX_ATTEMPTS, baseMs: config.DISPATCH_RETRY_BASE_MS, maxMs: config.DISPATCH_RETRY_MAX_MS };
  }

  /** Sends what is ready, up to one batch; answers how many messages it claimed. */
  async sendReadyBatch(): Promise<number> {
    const providers = this.providers.current();
    const claimed = await this.claim(providers);
    if (claimed.length === 0) return 0;
    const context = await this.batchContext(claimed, providers);
    const results = await callProviders(claimed, providers.registry, this.config.DISPATCH_SEND_CONCURRENCY, context);
    const at = this.clock.now().toISOString();
    const settlements = claimed.map((message, i) =>
      settleAttempt(message, results[i]!, { at, policy: this.policy, random: Math.random() }),
    );
    await inTransaction(this.dataSource, async (manager) => {
      const recorded = await this.store.recordAttempts(
        manager,
        settlements.map((s) => s.record),
      );
      const changes = settlements.filter((s) => recorded.has(s.record.id)).flatMap((s) => s.changes);
      await this.publisher.publish(changes);
    });
    for (const [i, settlement] of settlements.entries()) {
      const message = claimed[i]!;
      this.metrics.sends.inc({ channel: message.channel, provider: message.provider, status: settlement.outcome });
    }
    return claimed.length;
  }

  private async claim(providers: ProvidersInForce): Promise<ClaimedMessage[]> {
    const batchSize = this.config.DISPATCH_SEND_BATCH_SIZE;
    const allowances = this.throttle.take(providers.rateLimits, batchSize);
    let claimed: ClaimedMessage[] = [];
    try {
      claimed = await this.store.claimReady(batchSize, this.config.DISPATCH_LEASE_SECONDS, allowances);
    } finally {
      this.throttle.giveBackUnused(allowances, claimed);
    }
    return claimed;
  }

  /** The send time, and when recipients last wrote for the providers that need it, in one query for the batch. */
  private async batchContext(claimed: ClaimedMessage[], providers: ProvidersInForce): Promise<BatchContext> {
    const windowed = claimed.filter((m) => providers.registry.byName(m.provider)?.capabilities.sessionWindowHours !== undefined);
    const lastInbound = await this.inbound.lastInboundAt(windowed.map((m) => ({ channel: m.channel, address: m.recipient })));
    return {
      now: this.clock.now(),
      lastInboundAt: (message) => lastInbound.get(addressKey({ channel: message.channel, address: message.recipient })),
    };
  }
}
