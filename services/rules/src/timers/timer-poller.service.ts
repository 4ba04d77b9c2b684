import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NO_EFFECTS } from '@nudge/engine';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE, PollLoop, ServiceMetrics } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import { Histogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { EffectsWriter } from '../effects/effects-writer';
import { anySendDue, claimDueSends } from '../state/pending-sends';
import { SendFiring } from './send-firing.service';

/** How often a worker other than the first looks on its own (it is woken sooner when there is a backlog). */
const HELPER_POLL_MS = 1_000;

/**
 * Fires durable timers: claims due sends in batches (their users try-locked first, so several
 * rules instances share the work and none waits on trigger evaluation) and fires them before
 * the claiming transaction commits. A crash before the commit leaves them pending;
 * dispatch's unique send id absorbs a re-publish.
 */
@Injectable()
export class TimerPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('timers');
  private readonly loops: PollLoop[];
  private readonly lateness: Histogram;
  /** Whether the last batch claimed a full batch: more are likely due, so the next skips the cheap look. */
  private backlog = false;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
    private readonly firing: SendFiring,
    private readonly writer: EffectsWriter,
    metrics: ServiceMetrics,
  ) {
    this.lateness = new Histogram({
      name: 'nudge_timer_lateness_seconds',
      help: 'How long after its due time a timer fired',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30],
      registers: [metrics.registry],
    });
    // One worker polls; the others sleep until it finds a backlog (a full batch) and wakes them,
    // so an idle rules instance asks Postgres once per poll, not once per worker.
    this.loops = Array.from(
      { length: config.TIMER_WORKERS },
      (_, worker) =>
        new PollLoop({
          work: async () => {
            const claimed = await this.fireDue();
            if (claimed >= config.TIMER_BATCH_SIZE) this.wakeOthers(worker);
            return claimed;
          },
          batchSize: config.TIMER_BATCH_SIZE,
          pollMs: worker === 0 ? config.TIMER_POLL_MS : HELPER_POLL_MS,
          logger: this.logger,
          what: 'firing timers',
        }),
    );
  }

  onApplicationBootstrap(): void {
    for (const loop of this.loops) loop.start();
  }

  /** Lets the in-flight batch finish; unclaimed timers stay in Postgres for the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  /** Something became due now: look without waiting for the next poll. */
  wake(): void {
    for (const loop of this.loops) loop.wake();
  }

  private wakeOthers(worker: number): void {
    this.loops.forEach((loop, other) => other !== worker && loop.wake());
  }

  /** Fires one batch of due timers; returns how many it claimed. */
  async fireDue(): Promise<number> {
    // Between bursts nothing is due: one indexed look, no transaction. In a backlog (the last
    // batch was full) the look would say yes: the claim asks straight away, a round trip saved.
    if (!this.backlog && !(await anySendDue(this.dataSource, this.clock.now()))) return 0;
    const { claimed, effects } = await inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      // The claim takes the users' locks before it deletes their sends (the lock order of `lockUsers`).
      const due = await claimDueSends(manager, now, this.config.TIMER_BATCH_SIZE);
      if (due.length === 0) return { claimed: 0, effects: NO_EFFECTS };
      const effects = await this.firing.plan(manager, due, now);
      await this.writer.write(manager, effects);
      for (const send of due) this.lateness.observe(Math.max(0, now.getTime() - send.dueAt.getTime()) / 1000);
      return { claimed: due.length, effects };
    });
    this.backlog = claimed >= this.config.TIMER_BATCH_SIZE;
    this.writer.committed(effects);
    return claimed;
  }
}
