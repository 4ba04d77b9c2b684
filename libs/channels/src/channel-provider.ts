import type { OutboundMessage } from './outbound-message';
import type { WebhookHandler } from './webhooks';
import { isProviderError, ProviderTransientError, type ProviderError } from './provider-errors';

/** The provider took the message; `delivered` when it confirms delivery at once (sandbox, in-app). */
export interface SendAccepted {
  outcome: 'accepted';
  providerMessageId: string;
  status: 'sent' | 'delivered';
}

export interface SendRejected {
  outcome: 'rejected';
  error: ProviderError;
}

export type SendResult = SendAccepted | SendRejected;

/** What a provider can do, for the pipeline to respect. */
export interface ProviderCapabilities {
  /** The longest body it takes, in characters; longer bodies fail with a clear reason. */
  maxLength?: number;
  /**
   * It accepts an idempotency key (our message id, one per send id), so a retry after a lost
   * answer cannot send twice: an `unknown` outcome is always retried.
   */
  idempotencyKey: boolean;
  /**
   * A customer-service window (WhatsApp, Messenger: 24 h since the user last wrote):
   * outside it only what the provider allows may be sent (templates, transactional tags).
   */
  sessionWindowHours?: number;
}

/** One way of sending on one or more channels (sandbox, Twilio, WhatsApp Cloud…). */
export interface ChannelProvider {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  send(message: OutboundMessage): Promise<SendResult>;
  /** Status callbacks and inbound messages, for providers that send them. */
  readonly webhooks?: WebhookHandler;
}

/**
 * Sends through `provider` and always answers a SendResult: a typed error thrown by the
 * provider becomes its rejection, anything else (a network error, a bug in an adapter)
 * a transient one, so the message is retried rather than lost.
 */
export async function sendThrough(provider: ChannelProvider, message: OutboundMessage): Promise<SendResult> {
  try {
    return await provider.send(message);
  } catch (error) {
    if (isProviderError(error)) return { outcome: 'rejected', error };
    const reason = error instanceof Error ? error.message : String(error);
    return { outcome: 'rejected', error: new ProviderTransientError(`${provider.name} failed unexpectedly: ${reason}`) };
  }
}
