import { ServiceUnavailableError } from '@nudge/contracts';

/**
 * Waits for a publish, or fails with ServiceUnavailableError (503 `unavailable`) once it has
 * had no acknowledgement for `deadlineMs`. kafkajs retries a lost broker (reconnects,
 * metadata fetches, its own retry schedule) for about a minute; this bounds all of it for the
 * caller. The send itself cannot be cancelled: it may still be acknowledged after the
 * deadline — and after sends made since —, so whatever the caller rolls back on failure must
 * be safe to see published (a key consumers dedupe), or repaired: `afterLate` runs once a
 * send that missed its deadline has settled either way (publish the truth again there).
 */
export async function withinDeadline(publish: Promise<void>, deadlineMs: number, afterLate?: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const settled = () => afterLate?.();
      publish.then(settled, settled);
      reject(new ServiceUnavailableError(`no acknowledgement from Kafka within ${deadlineMs} ms`));
    }, deadlineMs);
  });
  try {
    await Promise.race([publish, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
