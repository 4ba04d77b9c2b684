import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ChannelOptOut, InboundReport, WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import { MAX_RAW_WIDGET_CODE_LENGTH } from '@nudge/channel-rules';
import type { TelegramConfig } from './telegram.settings';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * What Telegram sends when someone opens `t.me/<bot>?start=<parameter>` and presses Start:
 * `/start <parameter>` (`/start@<bot> <parameter>` in some clients).
 */
const START_COMMAND = /^\/start(?:@\w+)?\s+(\S+)\s*$/;

const textUpdate = z.object({
  message: z.object({
    message_id: z.number(),
    date: z.number(),
    chat: z.object({ id: z.union([z.number(), z.string()]) }),
    text: z.string(),
  }),
});

/** The bot's own membership of a private chat changed: `kicked` is the user blocking the bot. */
const memberUpdate = z.object({
  my_chat_member: z.object({
    date: z.number(),
    chat: z.object({ id: z.union([z.number(), z.string()]) }),
    new_chat_member: z.object({ status: z.string() }),
  }),
});

/**
 * Telegram's webhook (`setWebhook` with a `secret_token`): every update carries the secret
 * in `X-Telegram-Bot-Api-Secret-Token`. `/start <parameter>` (a subscribe widget's deep link
 * opened) is a subscription with that code; other text messages are replies (STOP included); a
 * `my_chat_member` update whose new status is `kicked` (the user blocked the bot) is a
 * channel-side opt-out of the chat, `member` (unblocked and restarted) lifts it. Telegram sends
 * no delivery or read receipts, so there are never status reports.
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
    const membership = memberUpdate.safeParse(request.body);
    if (membership.success) return { statuses: [], inbound: [], optOuts: this.optOutsOf(membership.data.my_chat_member) };
    const update = textUpdate.safeParse(request.body);
    if (!update.success) return { statuses: [], inbound: [] };
    const { message_id, date, chat, text } = update.data.message;
    const startParameter = START_COMMAND.exec(text)?.[1];
    if (startParameter !== undefined && startParameter.length <= MAX_RAW_WIDGET_CODE_LENGTH) {
      const at = new Date(date * 1000).toISOString();
      return {
        statuses: [],
        inbound: [],
        subscriptions: [{ channel: this.config.channel, from: String(chat.id), code: startParameter, event: 'telegram:start', at }],
      };
    }
    const inbound: InboundReport = {
      channel: this.config.channel,
      from: String(chat.id),
      text,
      at: new Date(date * 1000).toISOString(),
      providerMessageId: `${chat.id}:${message_id}`,
    };
    return { statuses: [], inbound: [inbound] };
  }

  private optOutsOf(update: z.infer<typeof memberUpdate>['my_chat_member']): ChannelOptOut[] {
    const status = update.new_chat_member.status;
    if (status !== 'kicked' && status !== 'member') return [];
    const at = new Date(update.date * 1000).toISOString();
    return [
      { channel: this.config.channel, from: String(update.chat.id), suppressed: status === 'kicked', event: `telegram:${status}`, at },
    ];
  }
}
