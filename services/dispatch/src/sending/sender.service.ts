import { Inject, Injectable } from '@nestjs/common';
import { inTransaction } from '@nudge/persistence';
import { ProviderRegistry } from '@nudge/channels';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { MessageStore } from '../messages/message.store';
import { StatusChangesPublisher } from '../messages/status-changes.publisher';
import { settleAttempt } from './attempt-settlement';
import { callProviders } from './provider-calls';
import type { RetryPolicy } from './retry-backoff';
import { SendMetrics } from './send-metrics';

/**
 * Sends one batch of ready messages: claim (lease + attempt count) → call the providers →
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
    private readonly registry: ProviderRegistry,
    private readonly metrics: SendMetrics,
  ) {
    this.policy = { maxAttempts: config.DISPATCH_MAX_ATTEMPTS, baseMs: config.DISPATCH_RETRY_BASE_MS, maxMs: config.DISPATCH_RETRY_MAX_MS };
  }

  /** Sends what is ready, up to one batch; answers how many messages it claimed. */
  async sendReadyBatch(): Promise<number> {
    const claimed = await this.store.claimReady(this.config.DISPATCH_SEND_BATCH_SIZE, this.config.DISPATCH_LEASE_SECONDS);
    if (claimed.length === 0) return 0;
    const results = await callProviders(claimed, this.registry, this.config.DISPATCH_SEND_CONCURRENCY, this.clock.now());
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
}
