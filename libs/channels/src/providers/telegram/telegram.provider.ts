import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { refuseLongBody } from '../shared/body-length';
import { callProvider, parseJson } from '../shared/provider-http';
import { telegramConfig, type TelegramConfig } from './telegram.settings';
import { TelegramWebhooks } from './telegram.webhooks';

export const TELEGRAM_PROVIDER = 'telegram';

/** `sendMessage` takes 1–4096 characters of text. */
export const TELEGRAM_MAX_LENGTH = 4096;

const sentAnswer = z.object({
  ok: z.literal(true),
  result: z.object({ message_id: z.number(), chat: z.object({ id: z.union([z.number(), z.string()]) }) }),
});
const errorAnswer = z.object({
  ok: z.literal(false),
  error_code: z.number(),
  description: z.string(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

/**
 * Sends text through the Telegram Bot API (`sendMessage`); `to` is the chat id. Telegram
 * reports neither delivery nor reads, so a sent message stays `sent`; replies arrive
 * through the webhook. The provider id is `<chat id>:<message id>`, as Telegram's message
 * ids are only unique within a chat.
 */
export class TelegramProvider implements ChannelProvider {
  readonly name = TELEGRAM_PROVIDER;
  readonly capabilities = { maxLength: TELEGRAM_MAX_LENGTH, idempotencyKey: false };
  readonly webhooks: TelegramWebhooks;

  constructor(private readonly config: TelegramConfig) {
    this.webhooks = new TelegramWebhooks(config);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const tooLong = refuseLongBody('Telegram', message.body, TELEGRAM_MAX_LENGTH);
    if (tooLong) return tooLong;
    const { status, body } = await this.post('sendMessage', { chat_id: message.to, text: message.body });
    const sent = sentAnswer.safeParse(body);
    if (sent.success) {
      const { chat, message_id } = sent.data.result;
      return { outcome: 'accepted', status: 'sent', providerMessageId: `${chat.id}:${message_id}` };
    }
    return { outcome: 'rejected', error: telegramRefusal(status, body) };
  }

  private async post(method: string, payload: object): Promise<{ status: number; body: unknown }> {
    // The URL carries the bot token: it never goes into an error message.
    const url = `${this.config.baseUrl}/bot${this.config.token}/${method}`;
    const { status, text } = await callProvider(
      'Telegram',
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
      this.config.timeoutMs,
    );
    return { status, body: parseJson(text) };
  }
}

/** Telegram's own `error_code` and `description`: throttling and server errors pass, the rest (blocked, chat not found) are for good. */
function telegramRefusal(status: number, body: unknown): ProviderError {
  const refused = errorAnswer.safeParse(body);
  const code = refused.success ? refused.data.error_code : status;
  const description = refused.success ? refused.data.description : `HTTP ${status} with an unreadable body`;
  if (code === 429) {
    const retryAfter = refused.success ? refused.data.parameters?.retry_after : undefined;
    const hint = retryAfter === undefined ? '' : ` (retry after ${retryAfter} s)`;
    return new ProviderTransientError(`Telegram is throttling: ${description}${hint}`, {
      retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000,
    });
  }
  if (code >= 500) return new ProviderTransientError(`Telegram failed: ${description}`);
  return new ProviderPermanentError(`Telegram refused the message: ${description}`);
}

/** `providers.telegram: { provider: telegram, tokenEnv, secretTokenEnv, baseUrl?, timeoutMs? }`. */
export const telegramFactory: ProviderFactory = (settings, channel, context) =>
  new TelegramProvider(telegramConfig(settings, channel, context));
