import type { ChannelProvider, SendResult } from '../channel-provider';
import type { OutboundMessage } from '../outbound-message';
import { ProviderPermanentError, ProviderTransientError } from '../provider-errors';

export const SANDBOX_PROVIDER = 'sandbox';

/**
 * The provider of every channel with none configured (SPEC §7): accepts every message as
 * delivered at once; tests move it on through `POST /v1/providers/sandbox/status`. Its
 * provider id derives from our message id, as a real provider honouring the idempotency
 * key answers the same id for a retried send.
 *
 * Test addresses let tests reach the failure paths: an address ending in `#fail` is
 * rejected for good, one ending in `#retry-N` fails transiently on its first N attempts.
 */
export class SandboxProvider implements ChannelProvider {
  readonly name = SANDBOX_PROVIDER;
  readonly capabilities = { idempotencyKey: true };

  async send(message: OutboundMessage): Promise<SendResult> {
    if (message.to.endsWith('#fail')) {
      return { outcome: 'rejected', error: new ProviderPermanentError(`sandbox rejects ${message.to}`) };
    }
    const failingAttempts = Number(/#retry-(\d+)$/.exec(message.to)?.[1] ?? 0);
    if (message.attempt <= failingAttempts) {
      return {
        outcome: 'rejected',
        error: new ProviderTransientError(`sandbox is busy (attempt ${message.attempt} of ${failingAttempts} failing)`),
      };
    }
    return { outcome: 'accepted', status: 'delivered', providerMessageId: `sbx-${message.messageId}` };
  }
}
