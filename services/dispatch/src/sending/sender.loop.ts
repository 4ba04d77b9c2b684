import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PollLoop } from '@nudge/service-runtime';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { ReadyMessagesSignal } from './ready-messages.signal';
import { SenderService } from './sender.service';

/** After a failed batch (database or Kafka down), the sender waits this long before trying again. */
const PAUSE_AFTER_ERROR_MS = 1_000;

/**
 * Runs the senders for the life of the service, each a PollLoop: a full batch is followed at
 * once by the next; otherwise a sender waits for intake's signal or the poll interval. Several
 * senders overlap one batch's provider calls and settlement with the next one's claim (SKIP
 * LOCKED keeps their batches apart). On shutdown each finishes the batch in hand and stops.
 */
@Injectable()
export class SenderLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loops: PollLoop[];

  constructor(
    @Inject(DISPATCH_CONFIG) config: DispatchConfig,
    sender: SenderService,
    signal: ReadyMessagesSignal,
    @InjectPinoLogger('sender') logger: PinoLogger,
  ) {
    this.loops = Array.from(
      { length: config.DISPATCH_SENDERS },
      () =>
        new PollLoop({
          work: () => sender.sendReadyBatch(),
          batchSize: config.DISPATCH_SEND_BATCH_SIZE,
          pollMs: config.DISPATCH_POLL_MS,
          retryMs: PAUSE_AFTER_ERROR_MS,
          what: 'sending a batch',
          onError: (error) => logger.error({ err: error }, 'sending a batch failed; its messages are retried when their lease runs out'),
        }),
    );
    signal.onRing(() => {
      for (const loop of this.loops) loop.wake();
    });
  }

  onApplicationBootstrap(): void {
    for (const loop of this.loops) loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }
}
