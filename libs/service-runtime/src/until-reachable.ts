/** How `untilReachable` waits: its deadline, the pause between rounds, and what it tells. */
export interface ReachOptions {
  /** What is waited for, for the messages: `Kafka at localhost:9092`. */
  what: string;
  timeoutMs: number;
  pauseMs?: number;
  /** Told after each failed round, with how long it has waited so far. */
  onRetry: (error: unknown, waitedMs: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `attempt` (a connection at start: Kafka's topics and producer, Postgres' pool) again
 * after each failure until it succeeds or `timeoutMs` has passed, then throws naming `what`
 * and the last error. A service started while its broker or database restarts (a deploy, a
 * crash, `npm start` before Kafka is up) waits for it instead of exiting after one client's
 * own retries (kafkajs gives up in about 50 s); a supervisor is not needed to start it again.
 */
export async function untilReachable<T>(attempt: () => Promise<T>, options: ReachOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      const waited = now() - started;
      if (waited >= options.timeoutMs) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${options.what} was not reachable within ${Math.round(options.timeoutMs / 1000)} s: ${reason}`, { cause: error });
      }
      options.onRetry(error, waited);
      await sleep(Math.min(options.pauseMs ?? 2_000, options.timeoutMs - waited));
    }
  }
}
