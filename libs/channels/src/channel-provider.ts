import type { OutboundMessage } from './outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from './provider-errors';

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

/** One way of sending on one or more channels (sandbox, Twilio, WhatsApp Cloud…). */
export interface ChannelProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<SendResult>;
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
    if (error instanceof ProviderTransientError || error instanceof ProviderPermanentError) return { outcome: 'rejected', error };
    const reason = error instanceof Error ? error.message : String(error);
    return { outcome: 'rejected', error: new ProviderTransientError(`${provider.name} failed unexpectedly: ${reason}`) };
  }
}
