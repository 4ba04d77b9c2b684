import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { ReadyMessagesSignal } from './ready-messages.signal';
import { SenderService } from './sender.service';

/** After a failed batch (database or Kafka down), the sender waits this long before trying again. */
const PAUSE_AFTER_ERROR_MS = 1_000;

/**
 * Runs the senders for the life of the service: a full batch is followed at once by the
 * next; otherwise a sender waits for intake's signal or the poll interval. Several senders
 * overlap one batch's provider calls and settlement with the next one's claim (SKIP LOCKED
 * keeps their batches apart). On shutdown each finishes the batch in hand and stops.
 */
@Injectable()
export class SenderLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping = false;
  private running: Promise<void[]> | null = null;

  constructor(
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    private readonly sender: SenderService,
    private readonly signal: ReadyMessagesSignal,
    @InjectPinoLogger('sender') private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = Promise.all(Array.from({ length: this.config.DISPATCH_SENDERS }, () => this.run()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signal.ring();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        const claimed = await this.sender.sendReadyBatch();
        if (claimed < this.config.DISPATCH_SEND_BATCH_SIZE) await this.signal.wait(this.config.DISPATCH_POLL_MS);
      } catch (error) {
        this.logger.error({ err: error }, 'sending a batch failed; its messages are retried when their lease runs out');
        await this.signal.wait(PAUSE_AFTER_ERROR_MS);
      }
    }
  }
}
