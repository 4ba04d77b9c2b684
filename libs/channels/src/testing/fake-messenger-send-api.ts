import { createHmac } from 'node:crypto';
import { jsonBody, startFakeProviderServer, type FakeAnswer, type FakeProviderServer, type ReceivedRequest } from './fake-provider-server';
import type { WebhookRequest } from '../webhooks';

/** A message the fake Send API took. */
export interface FakeMessengerMessage {
  recipient: string;
  text: string;
  messagingType: string;
  tag?: string;
  mid: string;
}

/**
 * A local stand-in for the Messenger Send API (`POST /{version}/me/messages`): checks the
 * Page token, the body and, like Facebook, the 24 h window (a `RESPONSE` to a user who
 * has not written lately is refused), and answers Graph API errors as documented.
 */
export interface FakeMessengerSendApi extends FakeProviderServer {
  sent: FakeMessengerMessage[];
  /** A user the Page can reach; `wroteRecently` puts them inside the 24 h window. */
  knowUser(psid: string, options?: { wroteRecently?: boolean }): void;
  /** The user cannot receive messages now (Graph error 551). */
  makeUnavailable(psid: string): void;
  /** The next `count` calls are rate-limited (Graph error 613, HTTP 400). */
  throttleNext(count: number): void;
}

const graphError = (status: number, code: number, message: string, subcode?: number): FakeAnswer => ({
  status,
  body: {
    error: { message, type: 'OAuthException', code, ...(subcode !== undefined && { error_subcode: subcode }), fbtrace_id: 'AbCdEf' },
  },
});

export async function startFakeMessengerSendApi(pageToken: string): Promise<FakeMessengerSendApi> {
  const sent: FakeMessengerMessage[] = [];
  const users = new Map<string, { wroteRecently: boolean }>();
  const unavailable = new Set<string>();
  let throttled = 0;

  const sendMessage = (request: ReceivedRequest): FakeAnswer => {
    if (request.query.get('access_token') !== pageToken) {
      return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
    const params = jsonBody(request) as
      { recipient?: { id?: unknown }; messaging_type?: unknown; tag?: unknown; message?: { text?: unknown } } | undefined;
    const recipient = params?.recipient?.id;
    const text = params?.message?.text;
    const messagingType = params?.messaging_type;
    const tag = params?.tag;
    if (typeof recipient !== 'string') return graphError(400, 100, '(#100) param recipient must be non-empty.');
    if (typeof text !== 'string' || text.length > 2000) {
      return graphError(400, 100, '(#100) Length of param message[text] must be less than or equal to 2000');
    }
    if (messagingType !== 'RESPONSE' && messagingType !== 'UPDATE' && messagingType !== 'MESSAGE_TAG') {
      return graphError(400, 100, '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    }
    if (messagingType === 'MESSAGE_TAG' && typeof tag !== 'string') return graphError(400, 100, '(#100) Tag is required for MESSAGE_TAG');
    if (throttled > 0) {
      throttled -= 1;
      return graphError(400, 613, '(#613) Calls to this api have exceeded the rate limit.');
    }
    const user = users.get(recipient);
    if (!user) return graphError(400, 100, '(#100) No matching user found', 2018001);
    if (unavailable.has(recipient)) return graphError(400, 551, "This person isn't available right now.", 1545041);
    if (messagingType !== 'MESSAGE_TAG' && !user.wroteRecently) {
      return graphError(400, 10, '(#10) This message is sent outside of allowed window.', 2018278);
    }
    const mid = `m_fake${sent.length + 1}`;
    sent.push({ recipient, text, messagingType, ...(typeof tag === 'string' && { tag }), mid });
    return { status: 200, body: { recipient_id: recipient, message_id: mid } };
  };

  const server = await startFakeProviderServer((request) =>
    request.method === 'POST' && /^\/v\d+\.\d+\/me\/messages$/.test(request.path)
      ? sendMessage(request)
      : graphError(400, 2500, 'Unknown path components'),
  );

  return {
    ...server,
    sent,
    knowUser: (psid, options = {}) => users.set(psid, { wroteRecently: options.wroteRecently ?? false }),
    makeUnavailable: (psid) => unavailable.add(psid),
    throttleNext: (count) => {
      throttled = count;
    },
  };
}

/** A webhook POST as Facebook sends it: the JSON body signed with the app secret in `X-Hub-Signature-256`. */
export function aMessengerNotification(appSecret: string, body: object): WebhookRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  return {
    url: 'https://nudge.example/v1/providers/messenger/status',
    method: 'POST',
    headers: { 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}` },
    rawBody,
    body,
    query: {},
  };
}
