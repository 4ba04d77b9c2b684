import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxSignal } from './outbox.signal';
import { OutboxRelay } from './outbox.relay';

/** After a failed batch (broker or database down), the relay waits this long before trying again. */
const PAUSE_AFTER_ERROR_MS = 1_000;

/**
 * On shutdown, at most this many batches are still published (the rest waits in the table for
 * the next start); none when the last round failed, so a lost broker does not hold up the stop.
 */
const DRAIN_BATCHES = 5;

/**
 * Runs the outbox relay for the life of the service: a full batch is followed at once by the
 * next; otherwise it waits for a commit's signal or the poll interval. A broker outage only
 * delays status events: they wait in the table, and the relay keeps trying.
 */
@Injectable()
export class OutboxRelayLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;
  private running: Promise<void> | null = null;
  private lastRoundFailed = false;

  constructor(
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    private readonly relay: OutboxRelay,
    private readonly signal: OutboxSignal,
    private readonly metrics: OutboxMetrics,
    @InjectPinoLogger('outbox-relay') private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signal.ring();
    await this.running;
    for (let batch = 0; batch < DRAIN_BATCHES && !this.lastRoundFailed; batch++) {
      const published = await this.relay.relayBatch().catch(() => 0);
      if (published < this.config.DISPATCH_OUTBOX_BATCH_SIZE) return;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const published = await this.relay.relayBatch();
        this.lastRoundFailed = false;
        if (published < this.config.DISPATCH_OUTBOX_BATCH_SIZE) await this.signal.wait(this.config.DISPATCH_OUTBOX_POLL_MS);
      } catch (error) {
        this.lastRoundFailed = true;
        this.metrics.failures.inc();
        this.logger.warn({ err: error }, 'publishing status events failed; they stay in the outbox and are tried again');
        // Not the signal: every commit rings it, and a broker that is down needs no more calls.
        await new Promise((resolve) => setTimeout(resolve, PAUSE_AFTER_ERROR_MS));
      }
    }
  }
}
