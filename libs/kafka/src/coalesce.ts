/**
 * Group commit for batch handlers: calls that arrive while a flush is running wait, and are
 * flushed together in the next one. An idle handler flushes at once (no added latency); a busy
 * one turns the concurrent batches of several partitions into one transaction. Each caller's
 * promise settles with the flush its items went into, so a failure fails (and lets Kafka
 * redeliver) every batch it held; results a flush returns go back to the call whose items
 * they are about.
 */
export function coalescing<T, R = never>(
  flush: (items: T[]) => Promise<readonly R[] | void>,
  options: CoalescingOptions<T, R> = {},
): (items: T[]) => Promise<R[]> {
  const maxItems = options.maxItems ?? 2_000;
  let waiting: Waiter<T, R>[] = [];
  let draining = false;

  async function drain(): Promise<void> {
    draining = true;
    while (waiting.length > 0) {
      const group = takeGroup();
      try {
        const results = (await flush(group.flatMap((waiter) => waiter.items))) ?? [];
        for (const waiter of group) waiter.resolve(group.length === 1 ? [...results] : resultsOf(waiter, results));
      } catch (error) {
        for (const waiter of group) waiter.reject(error);
      }
    }
    draining = false;
  }

  /** A caller's share of a flush's results: those about its own items. */
  function resultsOf(waiter: Waiter<T, R>, results: readonly R[]): R[] {
    if (results.length === 0) return [];
    const itemOf = options.itemOf;
    if (!itemOf) throw new Error('coalescing: a flush that returns results needs options.itemOf to hand them back');
    const mine = new Set(waiter.items);
    return results.filter((result) => mine.has(itemOf(result)));
  }

  /** Whole callers, oldest first, up to `maxItems` (at least one caller, however large). */
  function takeGroup(): Waiter<T, R>[] {
    let count = 0;
    let taken = 0;
    while (taken < waiting.length && (taken === 0 || count + (waiting[taken] as Waiter<T, R>).items.length <= maxItems)) {
      count += (waiting[taken] as Waiter<T, R>).items.length;
      taken++;
    }
    const group = waiting.slice(0, taken);
    waiting = waiting.slice(taken);
    return group;
  }

  return (items) =>
    new Promise<R[]>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (!draining) void drain();
    });
}

export interface CoalescingOptions<T, R> {
  /** Most items one flush takes (whole calls: a single larger call still goes alone). */
  maxItems?: number;
  /** For a flush that returns results (e.g. rejected records): the item each is about. */
  itemOf?: (result: R) => T;
}

interface Waiter<T, R> {
  items: T[];
  resolve: (results: R[]) => void;
  reject: (error: unknown) => void;
}
