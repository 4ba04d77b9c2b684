import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakeTelegramBotApi, type FakeTelegramBotApi } from '../../testing/fake-telegram-bot-api';
import { TelegramProvider, telegramFactory } from './telegram.provider';
import { telegramConfig } from './telegram.settings';

const TOKEN = '123456:ABC-test-token';
const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_SECRET: 'hook-secret' };
const context = { env, publicUrl: 'https://nudge.example' };

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'telegram', to: '42', ...overrides });

describe('TelegramProvider', () => {
  let api: FakeTelegramBotApi;
  let telegram: TelegramProvider;
  const settings = (overrides: Record<string, unknown> = {}) => ({
    provider: 'telegram',
    tokenEnv: 'TELEGRAM_BOT_TOKEN',
    secretTokenEnv: 'TELEGRAM_SECRET',
    baseUrl: api.baseUrl,
    timeoutMs: 10_000,
    ...overrides,
  });

  beforeEach(async () => {
    api = await startFakeTelegramBotApi(TOKEN);
    telegram = telegramFactory(settings(), 'telegram', context) as TelegramProvider;
  });
  afterEach(() => api.close());

  it('sends the body to the chat and answers sent (Telegram has no receipts) with chat and message id', async () => {
    const result = await sendThrough(telegram, aMessage());
    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: '42:1' });
    expect(api.sent).toEqual([{ chatId: '42', text: 'Your cart is waiting', messageId: 1 }]);
  });

  it('a throttled send (429) fails transiently with the retry hint, and the retry goes through', async () => {
    api.throttleNext(1, 3);
    const first = await sendThrough(telegram, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'transient',
        message: 'Telegram is throttling: Too Many Requests: retry after 3 (retry after 3 s)',
        retryAfterMs: 3_000,
      },
    });
    const retry = await sendThrough(telegram, aMessage({ attempt: 2 }));
    expect(retry).toMatchObject({ outcome: 'accepted', providerMessageId: '42:1' });
    expect(api.sent).toHaveLength(1);
  });

  it('a user who blocked the bot fails the message for good with Telegram own description', async () => {
    api.block('42');
    const result = await sendThrough(telegram, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'Telegram refused the message: Forbidden: bot was blocked by the user' },
    });
  });

  it('a wrong bot token is refused for good (401 Unauthorized)', async () => {
    const stranger = new TelegramProvider({
      channel: 'telegram',
      token: '1:wrong',
      secretToken: 's',
      baseUrl: api.baseUrl,
      timeoutMs: 10_000,
    });
    const result = await sendThrough(stranger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'Telegram refused the message: Unauthorized' },
    });
  });

  it('a Bot API that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    const hasty = telegramFactory(settings({ timeoutMs: 300 }), 'telegram', context);
    api.goSilent();
    const result = await sendThrough(hasty, aMessage());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'unknown', message: 'Telegram did not answer within 300 ms' } });
  });

  it('an unreachable Bot API fails transiently', async () => {
    await api.close();
    const result = await sendThrough(telegram, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: expect.stringMatching(/^Telegram could not be reached: /) },
    });
  });

  it('a body over 4096 characters fails for good without calling Telegram', async () => {
    const result = await sendThrough(telegram, aMessage({ body: 'x'.repeat(4097) }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'the message has 4097 characters; Telegram takes at most 4096' },
    });
    expect(api.sent).toHaveLength(0);
  });
});

describe('telegramFactory', () => {
  it.each([
    [{ secretTokenEnv: 'TELEGRAM_SECRET' }, 'providers.telegram.tokenEnv: must name the environment variable holding the bot token'],
    [
      { tokenEnv: 'TELEGRAM_BOT_TOKEN' },
      'providers.telegram.secretTokenEnv: must name the environment variable holding the webhook secret token',
    ],
    [{ tokenEnv: 'NOPE', secretTokenEnv: 'TELEGRAM_SECRET' }, 'providers.telegram.tokenEnv: environment variable NOPE is not set'],
    [
      { tokenEnv: 'TELEGRAM_BOT_TOKEN', secretTokenEnv: 'TELEGRAM_SECRET', baseUrl: 'not a url' },
      'providers.telegram.baseUrl: Invalid url',
    ],
  ])('refuses %j: %s', (settings, error) => {
    expect(() => telegramFactory({ provider: 'telegram', ...settings }, 'telegram', context)).toThrow(error);
  });

  it('talks to the real Bot API host within 10 s unless told otherwise', () => {
    const settings = { provider: 'telegram', tokenEnv: 'TELEGRAM_BOT_TOKEN', secretTokenEnv: 'TELEGRAM_SECRET' };
    expect(telegramConfig(settings, 'telegram', context)).toEqual({
      channel: 'telegram',
      token: TOKEN,
      secretToken: 'hook-secret',
      baseUrl: 'https://api.telegram.org',
      timeoutMs: 10_000,
    });
    expect(telegramFactory(settings, 'telegram', context)).toMatchObject({
      name: 'telegram',
      capabilities: { maxLength: 4096, idempotencyKey: false },
    });
  });
});
