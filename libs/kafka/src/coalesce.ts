/**
 * Group commit for batch handlers: calls that arrive while a flush is running wait, and are
 * flushed together in the next one. An idle handler flushes at once (no added latency); a busy
 * one turns the concurrent batches of several partitions into one transaction. Each caller's
 * promise settles with the flush its items went into, so a failure fails (and lets Kafka
 * redeliver) every batch it held.
 */
export function coalescing<T>(flush: (items: T[]) => Promise<void>, maxItems = 2_000): (items: T[]) => Promise<void> {
  let waiting: Waiter<T>[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (waiting.length > 0) {
      const group = takeGroup();
      try {
        await flush(group.flatMap((waiter) => waiter.items));
        for (const waiter of group) waiter.resolve();
      } catch (error) {
        for (const waiter of group) waiter.reject(error);
      }
    }
    draining = false;
  }

  /** Whole callers, oldest first, up to `maxItems` (at least one caller, however large). */
  function takeGroup(): Waiter<T>[] {
    let count = 0;
    let taken = 0;
    while (taken < waiting.length && (taken === 0 || count + (waiting[taken] as Waiter<T>).items.length <= maxItems)) {
      count += (waiting[taken] as Waiter<T>).items.length;
      taken++;
    }
    const group = waiting.slice(0, taken);
    waiting = waiting.slice(taken);
    return group;
  }

  return (items) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (!draining) void drain();
    });
}

interface Waiter<T> {
  items: T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}
