import { createHmac } from 'node:crypto';
import { jsonBody, startFakeProviderServer, type FakeAnswer, type FakeProviderServer, type ReceivedRequest } from './fake-provider-server';
import type { WebhookRequest } from '../webhooks';

/** A message the fake Viber API took; `messageToken` is a 64-bit integer, as Viber's are. */
export interface FakeViberMessage {
  receiver: string;
  text: string;
  senderName: string;
  messageToken: string;
}

/** A local stand-in for Viber's `/pa/send_message`, checking what Viber checks and answering as it documents (HTTP 200 with a `status`). */
export interface FakeViberBotApi extends FakeProviderServer {
  sent: FakeViberMessage[];
  /** Users who subscribed to the bot; anyone else is receiverNotSubscribed. */
  subscribe(userId: string): void;
  /** The next `count` calls are answered tooManyRequests (12). */
  throttleNext(count: number): void;
}

const FIRST_TOKEN = 5741311803571721087n;

const refusal = (status: number, statusMessage: string): FakeAnswer => ({
  status: 200,
  body: { status, status_message: statusMessage, chat_hostname: 'SN-CHAT-05_' },
});

export async function startFakeViberBotApi(authToken: string): Promise<FakeViberBotApi> {
  const sent: FakeViberMessage[] = [];
  const subscribers = new Set<string>();
  let throttled = 0;

  const sendMessage = (request: ReceivedRequest): FakeAnswer => {
    if (request.headers['x-viber-auth-token'] !== authToken) return refusal(2, 'invalidAuthToken');
    const params = jsonBody(request) as { receiver?: unknown; type?: unknown; text?: unknown; sender?: { name?: unknown } } | undefined;
    if (!params) return refusal(3, 'badData');
    const { receiver, type, text, sender } = params;
    if (typeof receiver !== 'string' || type !== 'text' || typeof text !== 'string' || typeof sender?.name !== 'string') {
      return refusal(4, 'missingData');
    }
    if (sender.name.length > 28 || text.length > 7000) return refusal(3, 'badData');
    if (throttled > 0) {
      throttled -= 1;
      return refusal(12, 'tooManyRequests');
    }
    if (!subscribers.has(receiver)) return refusal(6, 'receiverNotSubscribed');
    const messageToken = String(FIRST_TOKEN + BigInt(sent.length));
    sent.push({ receiver, text, senderName: sender.name, messageToken });
    // Written by hand: the token is a bare 64-bit integer, beyond what JSON.stringify of a number keeps.
    return { status: 200, body: `{"status":0,"status_message":"ok","message_token":${messageToken},"chat_hostname":"SN-CHAT-05_"}` };
  };

  const server = await startFakeProviderServer((request) =>
    request.method === 'POST' && request.path === '/pa/send_message' ? sendMessage(request) : { status: 404 },
  );

  return {
    ...server,
    sent,
    subscribe: (userId) => subscribers.add(userId),
    throttleNext: (count) => {
      throttled = count;
    },
  };
}

/** A callback as Viber sends it: the JSON text, signed with the bot token. */
export function aViberCallback(authToken: string, json: string, signature?: string): WebhookRequest {
  const rawBody = Buffer.from(json);
  return {
    url: 'https://nudge.example/v1/providers/viber/status',
    method: 'POST',
    headers: { 'x-viber-content-signature': signature ?? createHmac('sha256', authToken).update(rawBody).digest('hex') },
    rawBody,
    body: JSON.parse(json) as unknown,
    query: {},
  };
}
