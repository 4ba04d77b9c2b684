import { jsonBody, startFakeProviderServer, type FakeAnswer, type FakeProviderServer, type ReceivedRequest } from './fake-provider-server';

/** A message the fake Bot API took. */
export interface FakeTelegramMessage {
  chatId: string;
  text: string;
  messageId: number;
}

/** A local stand-in for the Telegram Bot API's `sendMessage`, checking what Telegram checks and answering as it documents. */
export interface FakeTelegramBotApi extends FakeProviderServer {
  sent: FakeTelegramMessage[];
  /** The next `count` calls are answered 429 with `parameters.retry_after`. */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  /** The user of `chatId` has blocked the bot: 403. */
  block(chatId: string): void;
}

const MAX_TEXT = 4096;

const refusal = (code: number, description: string, parameters?: object): FakeAnswer => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters && { parameters }) },
});

export async function startFakeTelegramBotApi(token: string): Promise<FakeTelegramBotApi> {
  const sent: FakeTelegramMessage[] = [];
  const blocked = new Set<string>();
  let throttled = 0;
  let retryAfter = 3;

  const sendMessage = (request: ReceivedRequest): FakeAnswer => {
    const params = jsonBody(request) as { chat_id?: unknown; text?: unknown } | undefined;
    if (typeof params?.chat_id !== 'string' && typeof params?.chat_id !== 'number') return refusal(400, 'Bad Request: chat_id is empty');
    if (typeof params.text !== 'string' || params.text.length === 0) return refusal(400, 'Bad Request: message text is empty');
    if (params.text.length > MAX_TEXT) return refusal(400, 'Bad Request: message is too long');
    if (throttled > 0) {
      throttled -= 1;
      return refusal(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    const chatId = String(params.chat_id);
    if (blocked.has(chatId)) return refusal(403, 'Forbidden: bot was blocked by the user');
    const message = { chatId, text: params.text, messageId: sent.length + 1 };
    sent.push(message);
    const chat = { id: /^-?\d+$/.test(chatId) ? Number(chatId) : chatId, type: 'private' };
    return { status: 200, body: { ok: true, result: { message_id: message.messageId, date: 1764000000, chat, text: message.text } } };
  };

  const server = await startFakeProviderServer((request) => {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.path);
    if (!match || match[1] !== token) return refusal(401, 'Unauthorized');
    if (match[2] !== 'sendMessage' || request.method !== 'POST') return refusal(404, 'Not Found');
    return sendMessage(request);
  });

  return {
    ...server,
    sent,
    throttleNext: (count, retryAfterSeconds = 3) => {
      throttled = count;
      retryAfter = retryAfterSeconds;
    },
    block: (chatId) => blocked.add(chatId),
  };
}
