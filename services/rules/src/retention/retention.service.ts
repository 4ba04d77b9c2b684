import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { RULES_CONFIG, type RulesConfig } from '../config';

/**
 * Keeps rules' bookkeeping tables bounded: event ids seen (for redelivery), exception
 * events kept for late triggers, the cap ledger and finished journey runs, each beyond its
 * useful age.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('retention');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((error: Error) => this.logger.warn(`pruning failed: ${error.message}`));
    }, this.config.RETENTION_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async prune(): Promise<void> {
    const days = this.config.RETENTION_DAYS;
    const tables: [string, string, string?][] = [
      ['processed_events', 'processed_at'],
      ['exception_events', 'occurred_at'],
      ['send_ledger', 'sent_at'],
      // Finished journey runs; a run still in progress is kept however long it waits.
      ['journey_runs', 'updated_at', `status <> 'active'`],
    ];
    for (const [table, column, only] of tables) {
      const also = only ? ` AND ${only}` : '';
      // Rows a transaction holds are left for the next pass (SKIP LOCKED): pruning takes no user
      // locks, so it must never wait for a row while holding others, or it could close a circle
      // with a writer that holds a user's lock and that user's rows (an erasure).
      await this.dataSource.query(
        `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${table} WHERE ${column} < now() - make_interval(days => $1)${also} FOR UPDATE SKIP LOCKED
         ))`,
        [days],
      );
    }
  }
}
