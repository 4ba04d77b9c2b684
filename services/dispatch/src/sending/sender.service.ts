import { Inject, Injectable } from '@nestjs/common';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { addressKey, InboundMessagesStore } from '../inbound/inbound-messages.store';
import type { StoredMessage } from '../messages/message';
import { MessageStore, type ClaimAllowance, type ClaimedMessage } from '../messages/message.store';
import type { StatusChange } from '../messages/status-change';
import { StatusEventsOutbox } from '../outbox/status-events.outbox';
import { ActiveProviders } from '../providers/active-providers';
import type { ProvidersInForce } from '../providers/providers-from-settings';
import { recipientLinksFrom, type RecipientLinks } from '../recipient-links/recipient-links';
import { settleAttempt } from './attempt-settlement';
import { keepRenewing } from './lease-renewal';
import { ProviderBreakers } from './provider-breakers';
import { ProviderCallTelemetry } from './provider-call-telemetry';
import { callProviders, type BatchContext } from './provider-calls';
import { DEFAULT_MAX_RETRY_AGE, type RetryPolicy } from './retry-backoff';
import { SendLease } from './send-lease';
import { SendMetrics } from './send-metrics';
import { SendThrottle } from './send-throttle';
import { policyKey, unknownVerdicts, UNLISTED, type UnknownVerdict } from './unknown-outcomes';

/** Messages leased under one token, and the providers in force when they were leased. */
export interface LeasedBatch {
  token: string;
  messages: ClaimedMessage[];
  /** When the statement that leased them was sent (monotonic ms): their lease surely holds from then. */
  leasedAt: number;
  providers: ProvidersInForce;
}

/**
 * Sends one batch of ready messages: take rate-limit tokens → claim under a fresh lease token
 * (lease + attempt count; a rate-limited provider only what its tokens allow; a message whose
 * last lease ran out with no result recorded gets an `unknown` stamp, and is leased again
 * only where its provider's idempotency key or `onUnknown` allows) → look up when recipients last wrote, for
 * providers with a session window (one query) → call the providers, renewing the lease every
 * third of it and starting a call only while the lease surely holds → write every outcome in
 * one statement, fenced by the token, with the status events in the outbox, in one
 * transaction. Kafka is not waited on: a broker outage delays the events, never re-sends.
 * A crash after the claim leaves the lease to run out; the next claim finds the lost result
 * (see MessageStore.claimReady). A result whose lease was lost (another sender took the message
 * over) is logged and counted, and changes nothing. Messages intake leased at insert
 * (`SendAtIntake`) skip the claim and go straight to `sendLeased`, the same send path.
 */
@Injectable()
export class SenderService {
  private readonly policy: RetryPolicy;
  private readonly recipientLinks: RecipientLinks;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: MessageStore,
    private readonly outbox: StatusEventsOutbox,
    private readonly providers: ActiveProviders,
    private readonly throttle: SendThrottle,
    private readonly breakers: ProviderBreakers,
    private readonly inbound: InboundMessagesStore,
    private readonly metrics: SendMetrics,
    private readonly calls: ProviderCallTelemetry,
    @InjectPinoLogger('sender') private readonly logger: PinoLogger,
  ) {
    this.policy = { maxAttempts: config.DISPATCH_MAX_ATTEMPTS, baseMs: config.DISPATCH_RETRY_BASE_MS, maxMs: config.DISPATCH_RETRY_MAX_MS };
    this.recipientLinks = recipientLinksFrom(config);
  }

  /** Sends what is ready, up to one batch; answers how many messages it claimed (leased or failed). */
  async sendReadyBatch(): Promise<number> {
    const providers = this.providers.current();
    const token = randomUUID();
    const claimedAt = performance.now();
    const verdicts = unknownVerdicts(providers.unknownOutcomes);
    const { leased, unknown } = await this.claim(providers, token, verdicts);
    if (leased.length === 0) return unknown;
    await this.sendLeased({ token, messages: leased, leasedAt: claimedAt, providers });
    return leased.length + unknown;
  }

  /**
   * Sends messages this process holds the lease of, leased by a claim or by intake's insert
   * (`SendAtIntake`): the provider calls, renewing the lease every third of it and starting
   * a call only while the lease surely holds → settle each attempt → write every outcome in
   * one statement, fenced by the token, with the status events in the outbox, in one
   * transaction. The one send path of dispatch.
   */
  async sendLeased(batch: LeasedBatch): Promise<void> {
    const { token, messages: leased, providers } = batch;
    const leaseMs = this.config.DISPATCH_LEASE_SECONDS * 1_000;
    const verdicts = unknownVerdicts(providers.unknownOutcomes);
    const lease = new SendLease(
      token,
      leased.map((m) => m.id),
      leaseMs,
      batch.leasedAt,
    );
    const renewal = keepRenewing(
      lease,
      leaseMs / 3,
      (leaseToken, ids) => this.store.renewLeases(leaseToken, ids, this.config.DISPATCH_LEASE_SECONDS),
      (error) => this.logger.warn({ err: error }, 'renewing a batch lease failed; no call starts once it may have run out'),
    );
    let results;
    try {
      const context = await this.batchContext(leased, providers, lease);
      results = await callProviders(leased, providers.registry, this.config.DISPATCH_SEND_CONCURRENCY, context);
    } finally {
      await renewal.stop();
    }
    const at = this.clock.now().toISOString();
    const settlements = leased.map((message, i) =>
      settleAttempt(message, results[i]!, {
        at,
        policy: this.policy,
        random: Math.random(),
        maxRetryAge: providers.maxRetryAges.get(message.channel) ?? DEFAULT_MAX_RETRY_AGE,
        onUnknown: verdictFor(verdicts, message),
      }),
    );
    const recorded = await inTransaction(this.dataSource, async (manager) => {
      const ids = await this.store.recordAttempts(
        manager,
        token,
        settlements.map((s) => s.record),
      );
      await this.outbox.add(
        manager,
        settlements.filter((s) => ids.has(s.record.id)).flatMap((s) => s.changes),
      );
      return ids;
    });
    this.outbox.committed();
    for (const [i, settlement] of settlements.entries()) {
      const message = leased[i]!;
      if (settlement.outcome === 'released') this.metrics.leaseLost.inc({ provider: message.provider, stage: 'before_call' });
      else if (settlement.outcome !== 'held' && !recorded.has(message.id)) this.leaseLostAfterCall(message, settlement.outcome);
      if (settlement.outcome !== 'released') {
        this.metrics.sends.inc({ channel: message.channel, provider: message.provider, status: settlement.outcome });
      }
      if (recorded.has(message.id)) this.metrics.timeSent(message, settlement.outcome, at);
    }
  }

  /**
   * Claims a batch and, in the same transaction, puts in the outbox the changes of the
   * messages it found with a lost result and left `unknown`.
   */
  private async claim(
    providers: ProvidersInForce,
    leaseToken: string,
    verdicts: ReturnType<typeof unknownVerdicts>,
  ): Promise<{ leased: ClaimedMessage[]; unknown: number }> {
    const batchSize = this.config.DISPATCH_SEND_BATCH_SIZE;
    const allowances = this.throttle.take(providers.rateLimits, batchSize);
    const claimAllowances = withBreakers(allowances, this.breakers.allowances(providers.channelProviders));
    let leased: ClaimedMessage[] = [];
    let unknown: StoredMessage[] = [];
    try {
      const at = this.clock.now().toISOString();
      ({ leased, unknown } = await inTransaction(this.dataSource, async (manager) => {
        const claim = await this.store.claimReady(manager, {
          limit: batchSize,
          leaseSeconds: this.config.DISPATCH_LEASE_SECONDS,
          leaseToken,
          maxAttempts: this.config.DISPATCH_MAX_ATTEMPTS,
          throttled: claimAllowances,
          unknownVerdicts: verdicts,
          at,
        });
        await this.outbox.add(
          manager,
          claim.unknown.map((message) => leftUnknownChange(message, at)),
        );
        return claim;
      }));
    } finally {
      this.throttle.giveBackUnused(allowances, leased);
    }
    if (unknown.length > 0) {
      this.outbox.committed();
      for (const message of unknown) {
        this.metrics.sends.inc({ channel: message.channel, provider: message.provider, status: 'unknown' });
      }
      this.logger.warn(
        { messages: unknown.map((m) => ({ messageId: m.id, sendId: m.sendId, provider: m.provider, reason: m.failureReason })) },
        'messages whose last call may have happened, with its result never recorded, are left unknown (not retried)',
      );
    }
    return { leased, unknown: unknown.length };
  }

  private leaseLostAfterCall(message: ClaimedMessage, outcome: string): void {
    this.metrics.leaseLost.inc({ provider: message.provider, stage: 'after_call' });
    this.logger.warn(
      { messageId: message.id, sendId: message.sendId, provider: message.provider, outcome },
      'a provider result came after the lease was lost to another sender; not recorded',
    );
  }

  /** The send time, the lease check, unsubscribe links, and when recipients last wrote for the providers that need it, in one query for the batch. */
  private async batchContext(claimed: ClaimedMessage[], providers: ProvidersInForce, lease: SendLease): Promise<BatchContext> {
    const windowed = claimed.filter((m) => providers.registry.byName(m.provider)?.capabilities.sessionWindowHours !== undefined);
    const lastInbound = await this.inbound.lastInboundAt(windowed.map((m) => ({ channel: m.channel, address: m.recipient })));
    return {
      now: this.clock.now(),
      lastInboundAt: (message) => lastInbound.get(addressKey({ channel: message.channel, address: message.recipient })),
      mayCall: (message) => lease.holds(message.id, performance.now()),
      throughBreaker: (provider, send) => this.breakers.call(provider, send),
      observeCall: (message, call) => this.calls.observe(message, call),
      unsubscribeLink: (message) => this.recipientLinks.unsubscribeLink(message),
    };
  }
}

/**
 * The claim's allowances: the rate limits' tokens, lowered (or added, for a provider without a
 * rate limit) where a circuit breaker holds a provider's messages.
 */
function withBreakers(rateLimited: ClaimAllowance[], held: ClaimAllowance[]): ClaimAllowance[] {
  const key = (a: ClaimAllowance) => `${a.channel}|${a.provider}`;
  const heldBy = new Map(held.map((a) => [key(a), a.allowance]));
  const merged = rateLimited.map((a) => ({ ...a, allowance: Math.min(a.allowance, heldBy.get(key(a)) ?? a.allowance) }));
  const limited = new Set(rateLimited.map(key));
  return [...merged, ...held.filter((a) => !limited.has(key(a)))];
}

/** The change of a message the claim left `unknown` (the reason is the one the claim stored). */
function leftUnknownChange(message: StoredMessage, at: string): StatusChange {
  return { message, status: 'unknown', at, ...(message.failureReason === null ? {} : { reason: message.failureReason }) };
}

/** What an unknown outcome of `message`'s call leads to: its provider's verdict for its category. */
function verdictFor(verdicts: ReturnType<typeof unknownVerdicts>, message: ClaimedMessage): UnknownVerdict {
  const ofProvider = verdicts[policyKey(message.channel, message.provider)] ?? verdicts[UNLISTED]!;
  return ofProvider[message.category];
}
