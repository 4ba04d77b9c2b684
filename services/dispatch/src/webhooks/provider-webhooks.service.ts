import { Injectable } from '@nestjs/common';
import { SANDBOX_PROVIDER, type ChannelProvider, type WebhookContent, type WebhookHandler, type WebhookRequest } from '@nudge/channels';
import { NotFoundError, ValidationError } from '@nudge/contracts';
import { InboundMessagesService } from '../inbound/inbound-messages.service';
import { ActiveProviders } from '../providers/active-providers';
import { DeliveryReceiptsService, type ProviderReportsOutcome } from '../providers/delivery-receipts.service';
import { WidgetSubscriptions } from '../widgets/widget-subscriptions.service';

/** What one webhook call did. */
export interface WebhookOutcome {
  statuses: ProviderReportsOutcome;
  inbound: { received: number; unsubscribed: number };
  /** Channel-side opt-outs and returns reported (blocked bot, Viber unsubscribe…) and how many changed an address's state. */
  optOuts: { received: number; applied: number };
  /** Chats that came with a subscribe widget's code, and how many were bound now. */
  subscriptions: { received: number; bound: number };
}

export type WebhookVerdict = { outcome: 'processed'; processed: WebhookOutcome } | { outcome: 'invalid_signature' };

/**
 * A provider's webhook: find the provider → verify its signature (refused: nothing is
 * processed) → parse → apply the status reports by the provider's message ids → handle
 * each inbound message like any reply (STOP included) → apply channel-side opt-outs → bind
 * the chats that came with a subscribe widget's code.
 */
@Injectable()
export class ProviderWebhooksService {
  constructor(
    private readonly providers: ActiveProviders,
    private readonly receipts: DeliveryReceiptsService,
    private readonly inbound: InboundMessagesService,
    private readonly widgets: WidgetSubscriptions,
  ) {}

  async receive(providerName: string, request: WebhookRequest): Promise<WebhookVerdict> {
    const { provider, webhooks } = this.withWebhooks(providerName);
    if (!webhooks.verify(request)) return { outcome: 'invalid_signature' };
    const content = parseContent(provider, webhooks, request);
    const statuses = await this.receipts.reportByProviderIds(provider.name, content.statuses);
    const outcomes = await this.inbound.receiveAll(content.inbound.map((message) => ({ provider: provider.name, ...message })));
    const unsubscribed = outcomes.filter((outcome) => outcome.unsubscribed).length;
    const optOuts = content.optOuts ?? [];
    const applied = await this.inbound.optOut(provider.name, optOuts);
    const subscriptions = content.subscriptions ?? [];
    const bound = await this.widgets.bindAll(provider.name, subscriptions);
    return {
      outcome: 'processed',
      processed: {
        statuses,
        inbound: { received: content.inbound.length, unsubscribed },
        optOuts: { received: optOuts.length, applied },
        subscriptions: { received: subscriptions.length, bound },
      },
    };
  }

  /** The answer to a provider's GET check of the endpoint, or null when it is refused (wrong verify token). */
  handshake(providerName: string, request: WebhookRequest): string | null {
    const { provider, webhooks } = this.withWebhooks(providerName);
    if (!webhooks.handshake) throw new NotFoundError(`provider "${provider.name}" has no webhook handshake`);
    return webhooks.handshake(request);
  }

  /** Whether a provider's webhooks prove themselves with a signature, so they need no API key (all but sandbox's). */
  verifiesSignatures(providerName: string): boolean {
    const provider = this.providers.registry().byName(providerName);
    return provider !== undefined && provider.name !== SANDBOX_PROVIDER && provider.webhooks !== undefined;
  }

  private withWebhooks(providerName: string): { provider: ChannelProvider; webhooks: WebhookHandler } {
    const provider = this.providers.registry().byName(providerName);
    if (!provider?.webhooks) throw new NotFoundError(`no configured provider "${providerName}" takes webhooks`);
    return { provider, webhooks: provider.webhooks };
  }
}

/** An adapter that cannot make sense of a verified body says so by throwing: a 400 naming the body. */
function parseContent(provider: ChannelProvider, webhooks: WebhookHandler, request: WebhookRequest): WebhookContent {
  try {
    return webhooks.parse(request);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`${provider.name} webhook not understood: ${reason}`, [{ path: '(body)', message: reason }]);
  }
}
