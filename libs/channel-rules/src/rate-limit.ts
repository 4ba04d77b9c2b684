/** A provider's rate limit (settings `providers.<channel>.rateLimit`: "50/s", "600/m", "10000/h"). */
export interface RateLimit {
  /** Messages per `perMs`. */
  messages: number;
  perMs: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Reads "50/s", "600/m" or "10000/h"; throws naming what is expected. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^(\d+(?:\.\d+)?)\/([smh])$/.exec(text.trim());
  const messages = Number(match?.[1]);
  if (!match || !(messages > 0)) throw new Error(`"${text}" is not a rate such as 50/s, 600/m or 10000/h`);
  return { messages, perMs: UNIT_MS[match[2] as keyof typeof UNIT_MS] };
}

export function sameRateLimit(a: RateLimit, b: RateLimit): boolean {
  return a.messages / a.perMs === b.messages / b.perMs;
}

/**
 * A token bucket: tokens refill continuously at the limit's rate, up to one second's worth
 * (at least one token), so a provider never gets more than a second's burst. `now` is an
 * injected clock in milliseconds.
 */
export class TokenBucket {
  readonly capacity: number;
  private readonly perMs: number;
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    this.perMs = limit.messages / limit.perMs;
    this.capacity = Math.max(1, this.perMs * 1_000);
    this.tokens = this.capacity;
    this.updatedAt = now();
  }

  /** Whole tokens available now. */
  available(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Takes as many whole tokens as are available, at most `wanted`; answers how many it took. */
  takeUpTo(wanted: number): number {
    const taken = Math.max(0, Math.min(Math.floor(wanted), this.available()));
    this.tokens -= taken;
    return taken;
  }

  /** Returns tokens taken but not used (fewer messages were ready than the bucket allowed). */
  giveBack(count: number): void {
    this.refill();
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, count));
  }

  /** Milliseconds until at least one whole token is available (0 when one is). */
  msUntilNextToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
  }

  private refill(): void {
    const now = this.now();
    if (now > this.updatedAt) this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
    this.updatedAt = Math.max(this.updatedAt, now);
  }
}
