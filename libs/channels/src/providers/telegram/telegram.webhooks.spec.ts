import type { WebhookRequest } from '../../webhooks';
import { TelegramWebhooks } from './telegram.webhooks';

const webhooks = new TelegramWebhooks({ secretToken: 'hook-secret', channel: 'telegram' });

const anUpdate = (
  body: unknown,
  headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': 'hook-secret' },
): WebhookRequest => ({
  url: 'https://nudge.example/v1/providers/telegram/inbound',
  method: 'POST',
  headers,
  rawBody: Buffer.from(JSON.stringify(body)),
  body,
  query: {},
});

const textUpdate = {
  update_id: 10001,
  message: {
    message_id: 77,
    from: { id: 42, is_bot: false, first_name: 'Ana' },
    chat: { id: 42, type: 'private', first_name: 'Ana' },
    date: 1764000000,
    text: 'STOP',
  },
};

describe('TelegramWebhooks', () => {
  it('accepts an update carrying the secret token', () => {
    expect(webhooks.verify(anUpdate(textUpdate))).toBe(true);
  });

  it('refuses an update with a different secret token', () => {
    expect(webhooks.verify(anUpdate(textUpdate, { 'x-telegram-bot-api-secret-token': 'hook-secreT' }))).toBe(false);
  });

  it('refuses an update without the secret token header', () => {
    expect(webhooks.verify(anUpdate(textUpdate, {}))).toBe(false);
  });

  it('maps a text message to an inbound report from the chat id', () => {
    expect(webhooks.parse(anUpdate(textUpdate))).toEqual({
      statuses: [],
      inbound: [{ channel: 'telegram', from: '42', text: 'STOP', at: '2025-11-24T16:00:00.000Z', providerMessageId: '42:77' }],
    });
  });

  it('reports no statuses: Telegram sends no delivery receipts, and non-text updates carry nothing for us', () => {
    const sticker = { update_id: 10002, message: { message_id: 78, chat: { id: 42, type: 'private' }, date: 1764000000, sticker: {} } };
    const edited = { update_id: 10003, edited_message: textUpdate.message };
    expect(webhooks.parse(anUpdate(sticker))).toEqual({ statuses: [], inbound: [] });
    expect(webhooks.parse(anUpdate(edited))).toEqual({ statuses: [], inbound: [] });
  });
});

describe('TelegramWebhooks: the user blocking the bot', () => {
  const membership = (status: string) => ({
    update_id: 10010,
    my_chat_member: {
      chat: { id: 42, type: 'private', first_name: 'Ana' },
      from: { id: 42, is_bot: false, first_name: 'Ana' },
      date: 1764000000,
      old_chat_member: { user: { id: 7, is_bot: true }, status: status === 'kicked' ? 'member' : 'kicked' },
      new_chat_member: { user: { id: 7, is_bot: true }, status },
    },
  });

  it('is a channel-side opt-out of the chat (kicked), lifted when the user unblocks it (member)', () => {
    expect(webhooks.parse(anUpdate(membership('kicked')))).toEqual({
      statuses: [],
      inbound: [],
      optOuts: [{ channel: 'telegram', from: '42', suppressed: true, event: 'telegram:kicked', at: '2025-11-24T16:00:00.000Z' }],
    });
    expect(webhooks.parse(anUpdate(membership('member'))).optOuts).toEqual([
      { channel: 'telegram', from: '42', suppressed: false, event: 'telegram:member', at: '2025-11-24T16:00:00.000Z' },
    ]);
  });

  it('ignores other membership changes (made administrator…)', () => {
    expect(webhooks.parse(anUpdate(membership('administrator'))).optOuts).toEqual([]);
  });
});

describe('TelegramWebhooks, subscribe widget deep links', () => {
  const start = (text: string) => anUpdate({ ...textUpdate, message: { ...textUpdate.message, text } });

  it.each([
    ['/start K3P9ZQ4M7TXW2HRB', 'K3P9ZQ4M7TXW2HRB'],
    ['/start@acme_bot K3P9ZQ4M7TXW2HRB', 'K3P9ZQ4M7TXW2HRB'],
  ])('maps %s to a subscription of the chat with the start parameter', (text, code) => {
    expect(webhooks.parse(start(text))).toEqual({
      statuses: [],
      inbound: [],
      subscriptions: [{ channel: 'telegram', from: '42', code, event: 'telegram:start', at: '2025-11-24T16:00:00.000Z' }],
    });
  });

  it('keeps a bare /start, and a start parameter longer than Telegram allows, as ordinary text', () => {
    expect(webhooks.parse(start('/start')).inbound).toHaveLength(1);
    expect(webhooks.parse(start(`/start ${'A'.repeat(65)}`)).subscriptions).toBeUndefined();
  });
});
