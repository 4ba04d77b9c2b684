import type { SendLease } from './send-lease';

/** Extends the lease of these messages under the token; answers those still held. */
export type RenewLeases = (token: string, ids: string[]) => Promise<Set<string>>;

/** A running renewal; `stop` ends it once any renewal in flight has answered. */
export interface LeaseRenewal {
  stop(): Promise<void>;
}

/**
 * Renews `lease` every `everyMs` while its batch runs (one statement per renewal, never two
 * at once). A failed renewal (database down) is reported and the lease is left to run out:
 * the sender then starts no more calls.
 */
export function keepRenewing(
  lease: SendLease,
  everyMs: number,
  renew: RenewLeases,
  onError: (error: unknown) => void,
  now: () => number = () => performance.now(),
): LeaseRenewal {
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const once = async () => {
    const asked = lease.held();
    const sentAt = now();
    try {
      lease.renewed(sentAt, asked, await renew(lease.token, asked));
    } catch (error) {
      onError(error);
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = once().then(() => {
        if (!stopped) schedule();
      });
    }, everyMs);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
