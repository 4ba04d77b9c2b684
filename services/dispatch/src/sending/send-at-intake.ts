import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import type { NewMessage } from '../messages/message';
import { claimedOnInsert, type ClaimAllowance, type InsertLease } from '../messages/message.store';
import { ActiveProviders } from '../providers/active-providers';
import type { ProvidersInForce } from '../providers/providers-from-settings';
import { ProviderBreakers } from './provider-breakers';
import { SendThrottle } from './send-throttle';
import { SenderService } from './sender.service';

/** What intake inserts leased, and what it needs to send them once committed. */
export interface IntakeLease extends InsertLease {
  providers: ProvidersInForce;
  /** The rate-limit tokens taken for the leased messages (what the insert did not store is given back). */
  allowances: ClaimAllowance[];
  /** When the lease was decided, before the insert statement was sent (monotonic ms). */
  leasedAt: number;
  /** Frees this lease's send slot. */
  done: () => void;
}

/**
 * Sends messages straight from intake, skipping the claim and the sender's poll hop: before
 * its insert, intake asks `lease` which of its queued messages can be sent now (a send slot
 * free, rate-limit tokens in hand, the provider's circuit breaker closed: what a claim
 * would allow), inserts those already leased (token, lease, first attempt counted, as
 * claimReady sets them) and, once committed, hands the ones it stored to `send`, which runs
 * the sender's own send path (SenderService.sendLeased) in the background. The rest stay
 * queued for the sender loop. A crash after the insert leaves leased rows whose lease runs
 * out: the next claim finds their token and treats their call as one that may have
 * happened, as for a claim's. At most DISPATCH_SENDERS batches are in flight this way;
 * shutdown waits for them.
 */
@Injectable()
export class SendAtIntake implements BeforeApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  constructor(
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    private readonly providers: ActiveProviders,
    private readonly throttle: SendThrottle,
    private readonly breakers: ProviderBreakers,
    private readonly sender: SenderService,
    @InjectPinoLogger('sender') private readonly logger: PinoLogger,
  ) {}

  /**
   * Which queued `messages` to insert leased (at most a send batch): none while every send
   * slot is busy or shutdown has begun, none of a provider whose breaker is not closed, and
   * of a rate-limited provider as many as its tokens allow. Undefined when none; otherwise
   * call `send` after the insert commits, or `abandon` if it fails.
   */
  lease(messages: NewMessage[]): IntakeLease | undefined {
    if (this.closing || this.inFlight.size >= this.config.DISPATCH_SENDERS) return undefined;
    const queued = messages.filter((m) => m.status === 'queued');
    if (queued.length === 0) return undefined;
    const leasedAt = performance.now();
    const providers = this.providers.current();
    const limit = this.config.DISPATCH_SEND_BATCH_SIZE;
    const key = (channel: string, provider: string) => `${channel}\u0000${provider}`;
    const held = new Set(this.breakers.allowances(providers.channelProviders).map((a) => key(a.channel, a.provider)));
    const allowances = this.throttle.take(providers.rateLimits, Math.min(limit, queued.length));
    const tokens = new Map(allowances.map((a) => [key(a.channel, a.provider), a.allowance]));
    const ids = new Set<string>();
    for (const message of queued) {
      if (ids.size >= limit) break;
      const pair = key(message.request.channel, message.provider);
      if (held.has(pair)) continue;
      const left = tokens.get(pair);
      if (left !== undefined) {
        if (left === 0) continue;
        tokens.set(pair, left - 1);
      }
      ids.add(message.id);
    }
    if (ids.size === 0) {
      this.throttle.giveBackUnused(allowances, []);
      return undefined;
    }
    let done = () => undefined as void;
    const slot = new Promise<void>((resolve) => (done = resolve));
    this.inFlight.add(slot);
    void slot.then(() => this.inFlight.delete(slot));
    return { token: randomUUID(), leaseSeconds: this.config.DISPATCH_LEASE_SECONDS, ids, providers, allowances, leasedAt, done };
  }

  /**
   * After the insert committed: sends the leased messages it stored (`stored`: the ids it
   * returned), in the background; gives back the tokens of the others (a replayed send id, a
   * dropped erased user's). Answers the ids it sends.
   */
  send(lease: IntakeLease, messages: NewMessage[], stored: ReadonlySet<string>, at: string): Set<string> {
    let leased;
    try {
      leased = messages.filter((m) => lease.ids.has(m.id) && stored.has(m.id)).map((m) => claimedOnInsert(m, at));
      this.throttle.giveBackUnused(lease.allowances, leased);
    } catch (error) {
      lease.done();
      throw error;
    }
    if (leased.length === 0) {
      lease.done();
      return new Set();
    }
    void this.sender
      .sendLeased({ token: lease.token, messages: leased, leasedAt: lease.leasedAt, providers: lease.providers })
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'sending a batch from intake failed; its messages are retried when their lease runs out'),
      )
      .finally(lease.done);
    return new Set(leased.map((m) => m.id));
  }

  /** The insert failed: nothing was leased. */
  abandon(lease: IntakeLease): void {
    this.throttle.giveBackUnused(lease.allowances, []);
    lease.done();
  }

  /** No new batch from intake; the ones in flight finish (their results are recorded). */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.inFlight]);
  }
}
