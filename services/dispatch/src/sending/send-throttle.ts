import { Inject, Injectable } from '@nestjs/common';
import { sameRateLimit, TokenBucket } from '@nudge/channel-rules';
import type { Clock } from '@nudge/timing';
import { CLOCK } from '../clock';
import type { ClaimAllowance, ClaimedMessage } from '../messages/message.store';
import type { ChannelRateLimit } from '../providers/providers-from-settings';

/**
 * The rate limits of this dispatch process: a token bucket per rate-limited provider on a
 * channel, shared by its senders. Before a claim a sender takes what each bucket has (at
 * most a batch); after it, it gives back what it did not claim. A provider out of tokens
 * is simply not claimed from: its messages wait, queued, for the next batches.
 */
@Injectable()
export class SendThrottle {
  private buckets = new Map<string, TokenBucket>();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** Takes tokens for one claim from the buckets of the limits in force (a changed limit gets a fresh bucket). */
  take(limits: ChannelRateLimit[], batchSize: number): ClaimAllowance[] {
    this.keepBucketsOf(limits);
    return limits.map(({ channel, provider }) => ({
      channel,
      provider,
      allowance: this.bucketOf(channel, provider)?.takeUpTo(batchSize) ?? 0,
    }));
  }

  /** Gives back the tokens of an allowance its claim did not use. */
  giveBackUnused(allowances: ClaimAllowance[], claimed: Pick<ClaimedMessage, 'channel' | 'provider'>[]): void {
    for (const allowance of allowances) {
      const used = claimed.filter((m) => m.channel === allowance.channel && m.provider === allowance.provider).length;
      this.bucketOf(allowance.channel, allowance.provider)?.giveBack(allowance.allowance - used);
    }
  }

  private keepBucketsOf(limits: ChannelRateLimit[]): void {
    const next = new Map<string, TokenBucket>();
    for (const { channel, provider, limit } of limits) {
      const key = keyOf(channel, provider);
      const current = this.buckets.get(key);
      next.set(key, current && sameRateLimit(current.limit, limit) ? current : new TokenBucket(limit, () => this.clock.now().getTime()));
    }
    this.buckets = next;
  }

  private bucketOf(channel: string, provider: string): TokenBucket | undefined {
    return this.buckets.get(keyOf(channel, provider));
  }
}

function keyOf(channel: string, provider: string): string {
  return `${channel}\u0000${provider}`;
}
