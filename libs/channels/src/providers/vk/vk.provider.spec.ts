import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakeVkApi, type FakeVkApi } from '../../testing/fake-vk-api';
import { vkRandomId } from './vk-random-id';
import { VkProvider, vkFactory } from './vk.provider';
import { vkConfig } from './vk.settings';

const env = { VK_TOKEN: 'vk1.a.community-token', VK_SECRET: 'callback-secret', VK_CONFIRMATION: 'a1b2c3d4' };
const context = { env, publicUrl: 'https://nudge.example' };
const settings = { provider: 'vk', tokenEnv: 'VK_TOKEN', secretEnv: 'VK_SECRET', confirmationCodeEnv: 'VK_CONFIRMATION' };

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'vk', to: '461614454', body: 'Ваша корзина ждёт', ...overrides });

describe('VkProvider', () => {
  let api: FakeVkApi;
  let vk: VkProvider;

  beforeEach(async () => {
    api = await startFakeVkApi('vk1.a.community-token');
    api.allowMessagesFrom(461614454);
    vk = vkFactory({ ...settings, baseUrl: api.baseUrl, timeoutMs: 10_000 }, 'vk', context) as VkProvider;
  });
  afterEach(() => api.close());

  it('sends the message with a random_id derived from our message id, and answers sent with VK message id', async () => {
    const result = await sendThrough(vk, aMessage());
    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: '1000' });
    expect(api.sent).toEqual([{ userId: 461614454, randomId: vkRandomId('m-1'), text: 'Ваша корзина ждёт', id: 1000 }]);
  });

  it('a retried send of the same message reaches the user once: VK dedups on random_id', async () => {
    const first = await sendThrough(vk, aMessage());
    const retry = await sendThrough(vk, aMessage({ attempt: 2 }));
    const another = await sendThrough(vk, aMessage({ messageId: 'm-2' }));
    expect(retry).toEqual(first);
    expect(another).toMatchObject({ outcome: 'accepted', providerMessageId: '1001' });
    expect(api.sent).toHaveLength(2);
  });

  it('too many requests (error 6) fails transiently, and the retry goes through', async () => {
    api.throttleNext(1);
    const first = await sendThrough(vk, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'VK failed: Too many requests per second (error 6)' },
    });
    const retry = await sendThrough(vk, aMessage({ attempt: 2 }));
    expect(retry).toMatchObject({ outcome: 'accepted', providerMessageId: '1000' });
  });

  it('a user who has not allowed messages (error 901) fails the message for good, saying so', async () => {
    const result = await sendThrough(vk, aMessage({ to: '2' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message:
          "VK refused the message: the user has not allowed messages from this community (error 901: Can't send messages for users without permission)",
      },
    });
  });

  it('a wrong community token is refused for good (error 5)', async () => {
    const stranger = new VkProvider({ ...vkConfig({ ...settings, baseUrl: api.baseUrl }, 'vk', context), token: 'wrong' });
    const result = await sendThrough(stranger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'VK refused the message: User authorization failed: invalid access_token (4). (error 5)' },
    });
  });

  it('a VK API that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    const hasty = vkFactory({ ...settings, baseUrl: api.baseUrl, timeoutMs: 300 }, 'vk', context);
    api.goSilent();
    const result = await sendThrough(hasty, aMessage());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'unknown', message: 'VK did not answer within 300 ms' } });
  });

  it('a body over 4096 characters fails for good without calling VK', async () => {
    const result = await sendThrough(vk, aMessage({ body: 'x'.repeat(4097) }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'the message has 4097 characters; VK takes at most 4096' },
    });
    expect(api.sent).toHaveLength(0);
  });
});

describe('vkRandomId', () => {
  it('is the same positive int32 for the same message id, and differs between message ids', () => {
    expect(vkRandomId('m-1')).toBe(vkRandomId('m-1'));
    expect(vkRandomId('m-1')).not.toBe(vkRandomId('m-2'));
    for (const id of ['m-1', 'm-2', 'a-much-longer-message-id-0001']) {
      expect(vkRandomId(id)).toBeGreaterThan(0);
      expect(vkRandomId(id)).toBeLessThanOrEqual(2 ** 31 - 1);
    }
  });
});

describe('vkFactory', () => {
  it.each([
    [{ tokenEnv: undefined }, 'providers.vk.tokenEnv: must name the environment variable holding the community access token'],
    [{ secretEnv: 'VK_NOPE' }, 'providers.vk.secretEnv: environment variable VK_NOPE is not set'],
    [
      { confirmationCodeEnv: undefined },
      'providers.vk.confirmationCodeEnv: must name the environment variable holding the Callback API confirmation code',
    ],
    [{ apiVersion: 'v5' }, 'providers.vk.apiVersion: must be a VK API version such as 5.199'],
  ])('refuses %j: %s', (overrides, error) => {
    expect(() => vkFactory({ ...settings, ...overrides }, 'vk', context)).toThrow(error);
  });

  it('talks to the real VK API, version 5.199, within 10 s unless told otherwise', () => {
    expect(vkConfig(settings, 'vk', context)).toEqual({
      channel: 'vk',
      token: 'vk1.a.community-token',
      secret: 'callback-secret',
      confirmationCode: 'a1b2c3d4',
      apiVersion: '5.199',
      baseUrl: 'https://api.vk.com',
      timeoutMs: 10_000,
    });
    expect(vkFactory(settings, 'vk', context).capabilities).toEqual({ maxLength: 4096, idempotencyKey: true });
  });
});
