import { ProviderPermanentError, sendThrough, type OutboundMessage, type ProviderRegistry, type SendResult } from '@nudge/channels';
import type { ClaimedMessage } from '../messages/message.store';
import type { SignedLink } from '../recipient-links/recipient-links';
import { passedExpiry } from './message-expiry';
import type { HeldCall } from './provider-breakers';

/**
 * What became of one message of a batch: its provider's answer, no call (the lease may have
 * run out), no call because its campaign's `expireAfter` had passed, or no call because its
 * provider's circuit breaker is open (`held`).
 */
export type CallResult = SendResult | HeldCall | { outcome: 'not_called' } | { outcome: 'expired'; expireAfter: string };

/** What every call of one batch shares: the send time, when recipients last wrote to us, and the lease. */
export interface BatchContext {
  now: Date;
  /** Whether the batch still holds the message's lease: a call starts only then (fenced leases). */
  mayCall: (message: ClaimedMessage) => boolean;
  /** When the recipient last wrote, for providers with a session window (`lastInboundAt`). */
  lastInboundAt: (message: ClaimedMessage) => Date | undefined;
  /** Makes a call through its provider's circuit breaker (see ProviderBreakers.call). */
  throughBreaker: (provider: string, send: () => Promise<SendResult>) => Promise<SendResult | HeldCall>;
  /** Wraps each provider call, inside the breaker (its duration, its span); absent: the call as it is. */
  observeCall?: (message: ClaimedMessage, call: () => Promise<SendResult>) => Promise<SendResult>;
  /** The message's one-click unsubscribe link (List-Unsubscribe), asked of marketing messages only; absent: none. */
  unsubscribeLink?: (message: ClaimedMessage) => SignedLink | undefined;
}

/**
 * Calls each message's provider, at most `concurrency` calls in flight, and answers the
 * results in the order of `messages`. The message id is the idempotency key, so a retry
 * after a lost result is recognised by providers that accept one. A message past its
 * `expireAfter` at the batch's `now` is not called (`expired`). Just before each call the
 * lease is checked: a message whose lease may have run out is not called (`not_called`).
 * Each call goes through its provider's circuit breaker, which may hold it (`held`).
 */
export async function callProviders(
  messages: ClaimedMessage[],
  registry: ProviderRegistry,
  concurrency: number,
  context: BatchContext,
): Promise<CallResult[]> {
  const results = new Array<CallResult>(messages.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < messages.length; index = next++) {
      const message = messages[index]!;
      const expireAfter = passedExpiry(message, context.now);
      if (expireAfter !== undefined) results[index] = { outcome: 'expired', expireAfter };
      else results[index] = context.mayCall(message) ? await callProvider(message, registry, context) : { outcome: 'not_called' };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
  return results;
}

function callProvider(message: ClaimedMessage, registry: ProviderRegistry, context: BatchContext): Promise<SendResult | HeldCall> {
  const provider = registry.byName(message.provider);
  if (!provider) {
    return Promise.resolve({ outcome: 'rejected', error: new ProviderPermanentError(`provider "${message.provider}" is not configured`) });
  }
  const lastInboundAt = provider.capabilities.sessionWindowHours === undefined ? undefined : context.lastInboundAt(message);
  const unsubscribe = message.category === 'marketing' ? context.unsubscribeLink?.(message) : undefined;
  const outbound: OutboundMessage = {
    messageId: message.id,
    channel: message.channel,
    to: message.recipient,
    body: message.body ?? '',
    attempt: message.attempts,
    category: message.category,
    campaignId: message.campaignId,
    now: context.now,
    ...(message.sender === null ? {} : { sender: message.sender }),
    ...(message.subject === null ? {} : { subject: message.subject }),
    ...(lastInboundAt === undefined ? {} : { lastInboundAt }),
    ...(unsubscribe === undefined ? {} : { unsubscribe }),
  };
  const send = () => sendThrough(provider, outbound);
  const observe = context.observeCall;
  return context.throughBreaker(provider.name, observe ? () => observe(message, send) : send);
}
