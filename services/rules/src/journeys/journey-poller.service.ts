import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NO_EFFECTS } from '@nudge/engine';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE, PollLoop } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { EffectsWriter } from '../effects/effects-writer';
import { claimDueRuns, dueRunCandidates } from '../state/journey-runs';
import { JourneyProgress } from './journey-progress.service';

/**
 * Journey runs are their own durable timers (`due_at`): a wait that ends, a waitFor that
 * times out, a message deferred to its window. This polls for due runs and moves them on,
 * one transaction per batch; a crash before the commit leaves them due.
 */
@Injectable()
export class JourneyPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('journeys');
  private readonly loop: PollLoop;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
    private readonly progress: JourneyProgress,
    private readonly writer: EffectsWriter,
  ) {
    this.loop = new PollLoop({
      work: () => this.moveDue(),
      batchSize: config.TIMER_BATCH_SIZE,
      pollMs: config.TIMER_POLL_MS,
      logger: this.logger,
      what: 'moving journey runs on',
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Moves one batch of due runs on; returns how many it took. */
  async moveDue(): Promise<number> {
    // Between steps nothing is due: one indexed look, no transaction.
    const candidates = await dueRunCandidates(this.dataSource, this.clock.now(), this.config.TIMER_BATCH_SIZE);
    if (candidates.length === 0) return 0;
    const { taken, effects } = await inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const due = await claimDueRuns(manager, candidates, now);
      if (due.length === 0) return { taken: 0, effects: NO_EFFECTS };
      const effects = await this.progress.onDue(manager, due, now);
      await this.writer.write(manager, effects);
      return { taken: due.length, effects };
    });
    this.writer.committed(effects);
    return taken;
  }
}
