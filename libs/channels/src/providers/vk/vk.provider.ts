import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import type { ProviderFactory } from '../../provider-factory';
import { refuseLongBody } from '../shared/body-length';
import { callProvider, parseJson, unreadableAnswer } from '../shared/provider-http';
import { vkRefusal } from './vk-errors';
import { vkRandomId } from './vk-random-id';
import { vkConfig, type VkConfig } from './vk.settings';
import { VkWebhooks } from './vk.webhooks';

export const VK_PROVIDER = 'vk';

/** `messages.send` takes up to 4096 characters. */
export const VK_MAX_LENGTH = 4096;

const sentAnswer = z.object({ response: z.number() });
const errorAnswer = z.object({ error: z.object({ error_code: z.number(), error_msg: z.string() }) });

/**
 * Sends text through VK's `messages.send` as the community; `to` is the user's VK id. The
 * `random_id` derives from our message id, so VK itself drops a retried duplicate. VK
 * reports no delivery receipts to us: a sent message stays `sent`; replies arrive through
 * the Callback API.
 */
export class VkProvider implements ChannelProvider {
  readonly name = VK_PROVIDER;
  readonly capabilities = { maxLength: VK_MAX_LENGTH, idempotencyKey: true };
  readonly webhooks: VkWebhooks;

  constructor(private readonly config: VkConfig) {
    this.webhooks = new VkWebhooks(config);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const tooLong = refuseLongBody('VK', message.body, VK_MAX_LENGTH);
    if (tooLong) return tooLong;
    const params = new URLSearchParams({
      user_id: message.to,
      random_id: String(vkRandomId(message.messageId)),
      message: message.body,
      access_token: this.config.token,
      v: this.config.apiVersion,
    });
    const { status, body } = await this.post('messages.send', params);
    const sent = sentAnswer.safeParse(body);
    if (sent.success) return { outcome: 'accepted', status: 'sent', providerMessageId: String(sent.data.response) };
    const refused = errorAnswer.safeParse(body);
    if (refused.success) return { outcome: 'rejected', error: vkRefusal(refused.data.error.error_code, refused.data.error.error_msg) };
    return { outcome: 'rejected', error: unreadableAnswer('VK', status) };
  }

  /** The token travels in the form body, not the URL, so it stays out of access logs. */
  private async post(method: string, params: URLSearchParams): Promise<{ status: number; body: unknown }> {
    const { status, text } = await callProvider(
      'VK',
      `${this.config.baseUrl}/method/${method}`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: params.toString() },
      this.config.timeoutMs,
    );
    return { status, body: parseJson(text) };
  }
}

/** `providers.vk: { provider: vk, tokenEnv, secretEnv, confirmationCodeEnv, groupId?, apiVersion?, baseUrl?, timeoutMs? }`. */
export const vkFactory: ProviderFactory = (settings, channel, context) => new VkProvider(vkConfig(settings, channel, context));
