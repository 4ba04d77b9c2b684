import type { SendResult } from '@nudge/channels';
import type { Channel } from '@nudge/contracts';
import {
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhenResult,
  isBrokenCircuitError,
  type CircuitBreakerPolicy,
} from 'cockatiel';

/** A call the breaker did not let through: its provider is failing; the message waits, queued, for the probe. */
export interface HeldCall {
  outcome: 'held';
  /** How long until the breaker lets a probe through. */
  retryInMs: number;
}

export interface BreakerOptions {
  /** Consecutive failed calls (transient or unknown outcomes) that open a provider's breaker. */
  failures: number;
  /** How long an open breaker stays open before one call probes the provider. */
  probeAfterMs: number;
  /** Told when a breaker opens (`open`) or closes again (`closed`), for logs and metrics. */
  onChange?: (provider: string, state: 'open' | 'closed') => void;
}

interface Breaker {
  policy: CircuitBreakerPolicy;
  openedAt: number | undefined;
}

/**
 * A circuit breaker per provider (cockatiel's, on consecutive failures): calls that end
 * transient or unknown count as failures; any answer the provider gives, a refusal included,
 * as success. An open breaker lets no call through, so messages are held in the queue
 * (not failed, attempts not counted) instead of each burning a retry on a provider that is
 * down; after `probeAfterMs` one call probes it and closes the breaker if it succeeds.
 * `allowance` tells the claim how many messages of a provider to take: none while open,
 * one when the probe is due, no limit while closed.
 */
export class ProviderBreakers {
  private readonly breakers = new Map<string, Breaker>();
  /** Wall-clock time, as cockatiel times its breakers. */
  private readonly now = Date.now;

  constructor(private readonly options: BreakerOptions) {}

  /** Calls `send` through `provider`'s breaker: its result, or `held` when the breaker is open. */
  async call(provider: string, send: () => Promise<SendResult>): Promise<SendResult | HeldCall> {
    const breaker = this.breakerOf(provider);
    try {
      return await breaker.policy.execute(send);
    } catch (error) {
      if (isBrokenCircuitError(error)) return { outcome: 'held', retryInMs: this.untilProbe(breaker) };
      throw error;
    }
  }

  /**
   * How many of a provider's messages one claim may take: undefined (no limit) while its
   * breaker is closed, 1 when an open breaker's probe is due, 0 otherwise.
   */
  allowance(provider: string): number | undefined {
    const breaker = this.breakers.get(provider);
    if (breaker === undefined) return undefined;
    switch (breaker.policy.state) {
      case CircuitState.Closed:
        return undefined;
      case CircuitState.Open:
        return this.untilProbe(breaker) === 0 ? 1 : 0;
      default:
        return 0;
    }
  }

  /** The claim allowances of the (channel, provider) pairs whose breaker limits them. */
  allowances(pairs: { channel: Channel; provider: string }[]): { channel: Channel; provider: string; allowance: number }[] {
    return pairs.flatMap(({ channel, provider }) => {
      const allowance = this.allowance(provider);
      return allowance === undefined ? [] : [{ channel, provider, allowance }];
    });
  }

  private untilProbe(breaker: Breaker): number {
    if (breaker.openedAt === undefined) return this.options.probeAfterMs;
    return Math.max(0, breaker.openedAt + this.options.probeAfterMs - this.now());
  }

  private breakerOf(provider: string): Breaker {
    let breaker = this.breakers.get(provider);
    if (breaker !== undefined) return breaker;
    const policy = circuitBreaker(handleWhenResult(failedCall), {
      halfOpenAfter: this.options.probeAfterMs,
      breaker: new ConsecutiveBreaker(this.options.failures),
    });
    const created: Breaker = { policy, openedAt: undefined };
    policy.onBreak(() => {
      created.openedAt = this.now();
      this.options.onChange?.(provider, 'open');
    });
    policy.onReset(() => {
      created.openedAt = undefined;
      this.options.onChange?.(provider, 'closed');
    });
    breaker = created;
    this.breakers.set(provider, breaker);
    return breaker;
  }
}

/** A call the breaker counts against its provider: no answer (transient) or no known answer (unknown). */
function failedCall(result: unknown): boolean {
  const sent = result as SendResult;
  return sent.outcome === 'rejected' && sent.error.kind !== 'permanent';
}
