import { Injectable } from '@nestjs/common';

/** Rings the sender as soon as intake has stored messages, so it need not wait for its next poll. */
@Injectable()
export class ReadyMessagesSignal {
  private waiters: (() => void)[] = [];
  private readonly listeners: (() => void)[] = [];
  private rung = false;

  /** Calls `listener` at every ring (a PollLoop's wake). */
  onRing(listener: () => void): void {
    this.listeners.push(listener);
  }

  ring(): void {
    for (const listener of this.listeners) listener();
    this.rung = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when rung (or already rung since the last wait) or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.rung) {
      this.rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        this.rung = false;
        resolve();
      };
      this.waiters.push(wake);
    });
  }
}
