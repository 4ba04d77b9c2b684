/** Where a failed batch is reported: a Nest logger, or a pino one through `onError`. */
interface ErrorLogger {
  error(message: string): void;
}

export interface PollLoopOptions {
  /** Does one batch of work; returns how many items it took. */
  work: () => Promise<number>;
  /** A full batch means more may be waiting: go again at once. */
  batchSize: number;
  /** How long to idle after a short batch, unless woken. */
  pollMs: number;
  /** How long to back off after a failed batch. */
  retryMs?: number;
  /** Names the work in the log line of a failed batch (`<what> failed, retrying: …`). */
  what: string;
  logger?: ErrorLogger;
  /** Reports a failed batch instead of `logger` (a service with its own log shape). */
  onError?: (error: unknown) => void;
}

/**
 * A loop that polls for due work: again at once after a full batch, after `pollMs` after a
 * short one, woken early by `wake()` (a wake during a batch is not lost); a failure is logged
 * and retried after `retryMs`. `stop()` lets the batch in hand finish. The one poll loop of
 * rules' timers, journeys and broadcasts and dispatch's sender and fallback loops.
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
    const { work, batchSize, pollMs, retryMs = 1_000, logger, onError, what } = this.options;
    while (this.running) {
      let taken = 0;
      try {
        taken = await work();
      } catch (error) {
        if (onError) onError(error);
        else logger?.error(`${what} failed, retrying: ${(error as Error).message}`);
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
