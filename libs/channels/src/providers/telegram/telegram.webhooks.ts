import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { InboundReport, WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import type { TelegramConfig } from './telegram.settings';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const textUpdate = z.object({
  message: z.object({
    message_id: z.number(),
    date: z.number(),
    chat: z.object({ id: z.union([z.number(), z.string()]) }),
    text: z.string(),
  }),
});

/**
 * Telegram's webhook (`setWebhook` with a `secret_token`): every update carries the secret
 * in `X-Telegram-Bot-Api-Secret-Token`. Only text messages matter to us (replies, STOP);
 * Telegram sends no delivery or read receipts, so there are never status reports.
 */
export class TelegramWebhooks implements WebhookHandler {
  constructor(private readonly config: Pick<TelegramConfig, 'secretToken' | 'channel'>) {}

  verify(request: WebhookRequest): boolean {
    const given = request.headers[SECRET_HEADER];
    if (given === undefined) return false;
    const expected = Buffer.from(this.config.secretToken);
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  parse(request: WebhookRequest): WebhookContent {
    const update = textUpdate.safeParse(request.body);
    if (!update.success) return { statuses: [], inbound: [] };
    const { message_id, date, chat, text } = update.data.message;
    const inbound: InboundReport = {
      channel: this.config.channel,
      from: String(chat.id),
      text,
      at: new Date(date * 1000).toISOString(),
      providerMessageId: `${chat.id}:${message_id}`,
    };
    return { statuses: [], inbound: [inbound] };
  }
}
