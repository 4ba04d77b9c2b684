import {
  formFields,
  startFakeProviderServer,
  type FakeAnswer,
  type FakeProviderServer,
  type ReceivedRequest,
} from './fake-provider-server';

/** A message the fake VK API took. */
export interface FakeVkMessage {
  userId: number;
  randomId: number;
  text: string;
  id: number;
}

/**
 * A local stand-in for VK's `messages.send`: form parameters, the community token, `v`
 * and `random_id` checked as VK checks them; a repeated `random_id` for the same user is
 * not sent again; errors are HTTP 200 `{ error: { error_code, error_msg } }`, as VK's are.
 */
export interface FakeVkApi extends FakeProviderServer {
  sent: FakeVkMessage[];
  /** The user has allowed messages from the community; anyone else gets error 901. */
  allowMessagesFrom(userId: number): void;
  /** The next `count` calls get error 6 (too many requests per second). */
  throttleNext(count: number): void;
}

const vkError = (code: number, message: string): FakeAnswer => ({
  status: 200,
  body: { error: { error_code: code, error_msg: message, request_params: [] } },
});

export async function startFakeVkApi(communityToken: string): Promise<FakeVkApi> {
  const sent: FakeVkMessage[] = [];
  const allowed = new Set<number>();
  let throttled = 0;

  const send = (request: ReceivedRequest): FakeAnswer => {
    const params = formFields(request);
    if (params.get('access_token') !== communityToken) return vkError(5, 'User authorization failed: invalid access_token (4).');
    if (!params.get('v')) return vkError(8, 'Invalid request: v is required');
    const userId = Number(params.get('user_id'));
    const randomId = Number(params.get('random_id'));
    const text = params.get('message') ?? '';
    if (params.get('random_id') === null || !Number.isInteger(randomId)) {
      return vkError(100, 'One of the parameters specified was missing or invalid: random_id is a required parameter');
    }
    if (!Number.isInteger(userId) || userId <= 0) return vkError(100, 'One of the parameters specified was missing or invalid: user_id');
    if (text.length === 0 || text.length > 4096) {
      return vkError(100, 'One of the parameters specified was missing or invalid: message is empty or invalid');
    }
    if (throttled > 0) {
      throttled -= 1;
      return vkError(6, 'Too many requests per second');
    }
    if (!allowed.has(userId)) return vkError(901, "Can't send messages for users without permission");
    const earlier = sent.find((message) => message.userId === userId && message.randomId === randomId);
    if (earlier) return { status: 200, body: { response: earlier.id } };
    const message = { userId, randomId, text, id: 1000 + sent.length };
    sent.push(message);
    return { status: 200, body: { response: message.id } };
  };

  const server = await startFakeProviderServer((request) => {
    if (request.path !== '/method/messages.send') return vkError(3, 'Unknown method passed');
    return request.method === 'POST' ? send(request) : vkError(8, 'Invalid request: expected a POST');
  });

  return {
    ...server,
    sent,
    allowMessagesFrom: (userId) => allowed.add(userId),
    throttleNext: (count) => {
      throttled = count;
    },
  };
}
