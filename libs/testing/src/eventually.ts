export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is being waited for, for the failure message. */
  what?: string;
}

/**
 * Polls `probe` until it returns a value that is not undefined (or stops throwing),
 * and returns it; fails with the last error after the timeout. Tests wait on outcomes
 * this way, never on guessed sleeps.
 */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const because = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'the condition'}${because}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
