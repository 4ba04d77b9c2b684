import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { StatusReport as ProviderStatusReport } from '@nudge/channels';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE, ServiceMetrics } from '@nudge/service-runtime';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { StatusEventsOutbox } from '../outbox/status-events.outbox';
import { DeliveryReceiptsService } from './delivery-receipts.service';
import { PendingReceiptsStore } from './pending-receipts.store';

const BATCH = 500;

/** What one round did: receipts applied to their message now that its id is known, and receipts dropped as orphans. */
export interface EarlyReceiptsRound {
  applied: number;
  orphaned: number;
}

/**
 * Early delivery receipts: a receipt that came before dispatch recorded the provider message
 * id it names waits in `pending_receipts`. Every DISPATCH_EARLY_RECEIPTS_POLL_MS this poller
 * applies, in one transaction, the kept receipts whose id a message now holds (the path every
 * receipt takes: statuses only move forward, the changes go to the outbox), deletes them,
 * and drops those kept longer than DISPATCH_EARLY_RECEIPT_WAIT_MS, counted in
 * `nudge_dispatch_orphaned_receipts_total{provider}`. Rows are taken with SKIP LOCKED, so
 * pollers of several dispatch instances never wait on each other.
 */
@Injectable()
export class EarlyReceiptsPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly orphaned: Counter<'provider'>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    private readonly pending: PendingReceiptsStore,
    private readonly receipts: DeliveryReceiptsService,
    private readonly outbox: StatusEventsOutbox,
    metrics: ServiceMetrics,
    @InjectPinoLogger('early-receipts') private readonly logger: PinoLogger,
  ) {
    this.orphaned = metrics.counter(
      'nudge_dispatch_orphaned_receipts_total',
      'Delivery receipts dropped because no message recorded the provider message id they name within DISPATCH_EARLY_RECEIPT_WAIT_MS',
      ['provider'],
    );
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Applies the kept receipts whose message is now known and drops the orphans, in one transaction. */
  async applyKept(): Promise<EarlyReceiptsRound> {
    const round = await inTransaction(this.dataSource, async (manager) => {
      const matched = await this.pending.lockMatched(manager, BATCH);
      let applied = 0;
      for (const [provider, reports] of byProvider(matched)) {
        applied += (await this.receipts.applyByProviderIds(manager, provider, reports)).applied;
      }
      await this.pending.delete(
        manager,
        matched.map((m) => m.id),
      );
      const dropped = await this.pending.dropOlderThan(manager, this.config.DISPATCH_EARLY_RECEIPT_WAIT_MS);
      return { applied, matched: matched.length, dropped };
    });
    if (round.matched > 0) this.outbox.committed();
    for (const provider of round.dropped) this.orphaned.inc({ provider });
    if (round.dropped.length > 0) {
      this.logger.warn(
        { orphaned: round.dropped.length, waitMs: this.config.DISPATCH_EARLY_RECEIPT_WAIT_MS },
        'delivery receipts dropped: no message recorded the provider message id they name in time',
      );
    }
    return { applied: round.applied, orphaned: round.dropped.length };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.applyKept()
        .catch((error: Error) => this.logger.error({ err: error }, 'applying early delivery receipts failed; retrying'))
        .finally(() => this.schedule());
    }, this.config.DISPATCH_EARLY_RECEIPTS_POLL_MS);
  }
}

function byProvider(receipts: { provider: string; report: ProviderStatusReport }[]): Map<string, ProviderStatusReport[]> {
  const grouped = new Map<string, ProviderStatusReport[]>();
  for (const { provider, report } of receipts) grouped.set(provider, [...(grouped.get(provider) ?? []), report]);
  return grouped;
}
