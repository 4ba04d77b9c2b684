import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PollLoop } from '@nudge/service-runtime';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { BroadcastBatches } from './broadcast-batches.service';

/**
 * Keeps broadcasts moving: runs due batches back to back, and when none is due (a later
 * `sendAt`, or the pause a rate limit asks for) looks again every `BROADCAST_POLL_MS`.
 * Several rules instances run side by side; the row lock of each batch keeps them apart.
 */
@Injectable()
export class BroadcastRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('broadcasts');
  private readonly loop: PollLoop;

  constructor(@Inject(RULES_CONFIG) config: RulesConfig, batches: BroadcastBatches) {
    this.loop = new PollLoop({
      work: async () => ((await batches.runNext()) ? 1 : 0),
      batchSize: 1,
      pollMs: config.BROADCAST_POLL_MS,
      logger: this.logger,
      what: 'broadcast batch',
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Lets the batch in flight commit; the rest waits in Postgres for the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** A broadcast was created here: look now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }
}
