import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakeViberBotApi, type FakeViberBotApi } from '../../testing/fake-viber-bot-api';
import { ViberProvider, viberFactory } from './viber.provider';
import { viberConfig } from './viber.settings';

const TOKEN = '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9';
const context = { env: { VIBER_TOKEN: TOKEN }, publicUrl: 'https://nudge.example' };
const SUBSCRIBER = '01234567890A=';

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'viber', to: SUBSCRIBER, ...overrides });

describe('ViberProvider', () => {
  let api: FakeViberBotApi;
  let viber: ViberProvider;
  const settings = (overrides: Record<string, unknown> = {}) => ({
    provider: 'viber',
    tokenEnv: 'VIBER_TOKEN',
    senderName: 'ACME',
    baseUrl: api.baseUrl,
    timeoutMs: 10_000,
    ...overrides,
  });

  beforeEach(async () => {
    api = await startFakeViberBotApi(TOKEN);
    api.subscribe(SUBSCRIBER);
    viber = viberFactory(settings(), 'viber', context) as ViberProvider;
  });
  afterEach(() => api.close());

  it('sends a text message and keeps the 64-bit message_token exactly as the provider id', async () => {
    const result = await sendThrough(viber, aMessage());
    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: '5741311803571721087' });
    expect(api.sent).toEqual([
      { receiver: SUBSCRIBER, text: 'Your cart is waiting', senderName: 'ACME', messageToken: '5741311803571721087' },
    ]);
  });

  it("uses the message's sender as sender.name when it has one", async () => {
    await sendThrough(viber, aMessage({ sender: 'ACME Deals' }));
    expect(api.sent[0]?.senderName).toBe('ACME Deals');
  });

  it('tooManyRequests (12) fails transiently, and the retry goes through', async () => {
    api.throttleNext(1);
    const first = await sendThrough(viber, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'Viber is throttling: tooManyRequests (status 12)' },
    });
    const retry = await sendThrough(viber, aMessage({ attempt: 2 }));
    expect(retry).toMatchObject({ outcome: 'accepted', providerMessageId: '5741311803571721087' });
  });

  it('a user who is not subscribed fails the message for good, with Viber status and a clear reason', async () => {
    const result = await sendThrough(viber, aMessage({ to: 'stranger==' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message:
          'Viber refused the message: receiverNotSubscribed (status 6): the receiver has not subscribed to the bot, or has unsubscribed',
      },
    });
  });

  it('a wrong token is refused for good (invalidAuthToken)', async () => {
    const stranger = new ViberProvider({ channel: 'viber', token: 'wrong', senderName: 'ACME', baseUrl: api.baseUrl, timeoutMs: 10_000 });
    const result = await sendThrough(stranger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: expect.stringMatching(/^Viber refused the message: invalidAuthToken \(status 2\)/) },
    });
  });

  it('a Viber API that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    const hasty = viberFactory(settings({ timeoutMs: 300 }), 'viber', context);
    api.goSilent();
    const result = await sendThrough(hasty, aMessage());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'unknown', message: 'Viber did not answer within 300 ms' } });
  });

  it('a body over 7000 characters fails for good without calling Viber', async () => {
    const result = await sendThrough(viber, aMessage({ body: 'x'.repeat(7001) }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'the message has 7001 characters; Viber takes at most 7000' },
    });
    expect(api.sent).toHaveLength(0);
  });
});

describe('viberFactory', () => {
  it.each([
    [{ senderName: 'ACME' }, 'providers.viber.tokenEnv: must name the environment variable holding the bot authentication token'],
    [{ tokenEnv: 'VIBER_TOKEN' }, "providers.viber.senderName: must give the bot's display name (at most 28 characters)"],
    [{ tokenEnv: 'VIBER_MISSING', senderName: 'ACME' }, 'providers.viber.tokenEnv: environment variable VIBER_MISSING is not set'],
  ])('refuses %j: %s', (settings, error) => {
    expect(() => viberFactory({ provider: 'viber', ...settings }, 'viber', context)).toThrow(error);
  });

  it('talks to the real Viber host within 10 s unless told otherwise', () => {
    expect(viberConfig({ provider: 'viber', tokenEnv: 'VIBER_TOKEN', senderName: 'ACME' }, 'viber', context)).toEqual({
      channel: 'viber',
      token: TOKEN,
      senderName: 'ACME',
      baseUrl: 'https://chatapi.viber.com',
      timeoutMs: 10_000,
    });
  });
});
