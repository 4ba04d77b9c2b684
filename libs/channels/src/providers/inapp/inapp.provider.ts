import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import type { ProviderFactory } from '../../provider-factory';
import type { InboxWriter } from './inbox-writer';

export const INAPP_PROVIDER = 'inapp';

/**
 * Channel `inapp` (SPEC §7): the message is delivered once it is in the user's inbox, which
 * the app reads over dispatch's inbox API. Storing is idempotent on the message id, so a
 * retried send files nothing twice.
 */
export class InAppProvider implements ChannelProvider {
  readonly name = INAPP_PROVIDER;
  readonly capabilities = { idempotencyKey: true };

  constructor(private readonly inbox: InboxWriter) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    await this.inbox({
      messageId: message.messageId,
      campaignId: message.campaignId,
      title: message.subject ?? null,
      body: message.body,
      createdAt: message.now.toISOString(),
    });
    return { outcome: 'accepted', status: 'delivered', providerMessageId: `inapp-${message.messageId}` };
  }
}

/** Builds the in-app provider on the inbox the context gives; without one it cannot deliver anything. */
export const createInAppProvider: ProviderFactory = (_settings, channel, context) => {
  if (!context.inbox) throw new Error(`providers.${channel}.provider: "${INAPP_PROVIDER}" needs an inbox, which only dispatch provides`);
  return new InAppProvider(context.inbox);
};
