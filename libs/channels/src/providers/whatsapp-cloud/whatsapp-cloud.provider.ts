import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { refuseLongBody } from '../shared/body-length';
import { withRetryAfter } from '../../retry-after';
import { callProvider, parseJson } from '../shared/provider-http';
import { chooseWhatsAppContent, WHATSAPP_SESSION_WINDOW_HOURS } from './whatsapp-content';
import { whatsappRefusal } from './whatsapp-error-codes';
import { WHATSAPP_CLOUD_PROVIDER, whatsappCloudConfig, type WhatsAppCloudConfig } from './whatsapp-cloud.settings';
import { WhatsAppCloudWebhooks } from './whatsapp-cloud.webhooks';

/** A text message's body takes at most 4096 characters. */
export const WHATSAPP_MAX_LENGTH = 4096;

const sentAnswer = z.object({ messages: z.array(z.object({ id: z.string().min(1) })).min(1) });
const errorAnswer = z.object({
  error: z.object({
    message: z.string(),
    code: z.number(),
    error_subcode: z.number().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
  }),
});

/**
 * Sends through the WhatsApp Cloud API (`POST /{version}/{phoneNumberId}/messages`, JSON,
 * bearer token); `to` is the user's phone number. Within 24 h of the user's last message
 * the body goes as text; outside that window as the category's approved template (see
 * whatsapp-content.ts). The Cloud API has no idempotency key. Delivery, reads and replies
 * arrive through the signed webhook, keyed by the `wamid` answered here.
 */
export class WhatsAppCloudProvider implements ChannelProvider {
  readonly name = WHATSAPP_CLOUD_PROVIDER;
  readonly capabilities = { maxLength: WHATSAPP_MAX_LENGTH, idempotencyKey: false, sessionWindowHours: WHATSAPP_SESSION_WINDOW_HOURS };
  readonly webhooks: WhatsAppCloudWebhooks;

  constructor(private readonly config: WhatsAppCloudConfig) {
    this.webhooks = new WhatsAppCloudWebhooks(config);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const tooLong = refuseLongBody('WhatsApp', message.body, WHATSAPP_MAX_LENGTH);
    if (tooLong) return tooLong;
    const choice = chooseWhatsAppContent(message, this.config.templates);
    if (choice.outcome === 'refused') return { outcome: 'rejected', error: new ProviderPermanentError(choice.reason) };
    const payload = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to, ...choice.content };
    const { status, body, retryAfterMs } = await this.post(
      `/${this.config.version}/${encodeURIComponent(this.config.phoneNumberId)}/messages`,
      payload,
    );
    const sent = sentAnswer.safeParse(body);
    if (status >= 200 && status < 300 && sent.success)
      return { outcome: 'accepted', status: 'sent', providerMessageId: sent.data.messages[0]?.id ?? '' };
    const refused = errorAnswer.safeParse(body);
    return {
      outcome: 'rejected',
      error: withRetryAfter(whatsappRefusal(status, refused.success ? refused.data.error : undefined), retryAfterMs),
    };
  }

  private async post(path: string, payload: object): Promise<{ status: number; body: unknown; retryAfterMs: number | undefined }> {
    const { status, text, retryAfterMs } = await callProvider(
      'WhatsApp',
      `${this.config.baseUrl}${path}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${this.config.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      },
      this.config.timeoutMs,
    );
    return { status, body: parseJson(text), retryAfterMs };
  }
}

/**
 * `providers.whatsapp: { provider: whatsapp-cloud, phoneNumberId, tokenEnv, appSecretEnv?,
 * verifyTokenEnv?, version?, templates?: { marketing?, transactional? }, baseUrl?, timeoutMs? }`.
 */
export const whatsappCloudFactory: ProviderFactory = (settings, channel, context) =>
  new WhatsAppCloudProvider(whatsappCloudConfig(settings, channel, context));
