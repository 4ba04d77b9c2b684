/**
 * A claim's lease as its sender sees it: the token the claim stamped, the messages it still
 * holds, and until when (on this process's monotonic clock) it surely holds them. The
 * database's lease runs from its own `now()`, which is no earlier than when the claim or
 * renewal statement was sent; a margin covers clock drift between the two.
 */
export class SendLease {
  private heldUntil: number;
  private readonly lost = new Set<string>();

  constructor(
    readonly token: string,
    private readonly ids: readonly string[],
    private readonly leaseMs: number,
    /** When the claim statement was sent (monotonic ms). */
    claimedAt: number,
  ) {
    this.heldUntil = claimedAt + usableMs(leaseMs);
  }

  /** Whether a provider call for the message may start at `now`: the lease is still surely ours. */
  holds(id: string, now: number): boolean {
    return now < this.heldUntil && !this.lost.has(id);
  }

  /** The messages not known to be lost, for the next renewal. */
  held(): string[] {
    return this.ids.filter((id) => !this.lost.has(id));
  }

  /** A renewal sent at `sentAt` extended the lease of `renewed`; the others asked for are lost. */
  renewed(sentAt: number, asked: readonly string[], renewed: ReadonlySet<string>): void {
    for (const id of asked) if (!renewed.has(id)) this.lost.add(id);
    this.heldUntil = Math.max(this.heldUntil, sentAt + usableMs(this.leaseMs));
  }
}

/** The part of a lease a sender counts on: a tenth (at most 2 s) is left for drift. */
function usableMs(leaseMs: number): number {
  return leaseMs - Math.min(leaseMs / 10, 2_000);
}
