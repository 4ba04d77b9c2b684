import type { Logger } from '@nestjs/common';

export interface PollLoopOptions {
  /** Does one batch of work; returns how many items it took. */
  work: () => Promise<number>;
  /** A full batch means more may be waiting: go again at once. */
  batchSize: number;
  /** How long to idle after a short batch, unless woken. */
  pollMs: number;
  /** How long to back off after a failed batch. */
  retryMs?: number;
  logger: Pick<Logger, 'error'>;
  what: string;
}

/**
 * A loop that polls for due work: again at once after a full batch, after `pollMs` after a
 * short one, woken early by `wake()`; a failure is logged and retried. `stop()` lets the
 * batch in hand finish.
 */
export class PollLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** A wake() that came while a batch was running: the next idle is skipped. */
  private woken = false;

  constructor(private readonly options: PollLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Something became due now: look without waiting for the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    const { work, batchSize, pollMs, retryMs = 1_000, logger, what } = this.options;
    while (this.running) {
      let taken = 0;
      try {
        taken = await work();
      } catch (error) {
        logger.error(`${what} failed, retrying: ${(error as Error).message}`);
        await this.idle(retryMs);
        continue;
      }
      if (taken < batchSize) await this.idle(pollMs);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
