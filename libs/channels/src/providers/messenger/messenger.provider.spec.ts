import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { aMessengerNotification, startFakeMessengerSendApi, type FakeMessengerSendApi } from '../../testing/fake-messenger-send-api';
import { MessengerProvider, messengerFactory } from './messenger.provider';
import { messengerConfig } from './messenger.settings';

const env = { FB_PAGE_TOKEN: 'EAAG-page-token', FB_APP_SECRET: 'app-secret', FB_VERIFY_TOKEN: 'verify-me' };
const context = { env, publicUrl: 'https://nudge.example' };
const settings = { provider: 'messenger', pageTokenEnv: 'FB_PAGE_TOKEN', appSecretEnv: 'FB_APP_SECRET', verifyTokenEnv: 'FB_VERIFY_TOKEN' };
const now = new Date('2026-11-24T10:00:00Z');
const PSID = '6789012345';

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'messenger', to: PSID, lastInboundAt: new Date('2026-11-24T08:00:00Z'), now, ...overrides });

describe('MessengerProvider', () => {
  let api: FakeMessengerSendApi;
  let messenger: MessengerProvider;

  beforeEach(async () => {
    api = await startFakeMessengerSendApi('EAAG-page-token');
    messenger = messengerFactory({ ...settings, baseUrl: api.baseUrl, timeoutMs: 10_000 }, 'messenger', context) as MessengerProvider;
  });
  afterEach(() => api.close());

  it('inside the 24 h window sends a RESPONSE and answers sent with the message id', async () => {
    api.knowUser(PSID, { wroteRecently: true });
    const result = await sendThrough(messenger, aMessage());
    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: 'm_fake1' });
    expect(api.sent).toEqual([{ recipient: PSID, text: 'Your cart is waiting', messagingType: 'RESPONSE', mid: 'm_fake1' }]);
  });

  it('outside the window sends a transactional message tagged ACCOUNT_UPDATE', async () => {
    api.knowUser(PSID);
    const result = await sendThrough(messenger, aMessage({ category: 'transactional', lastInboundAt: new Date('2026-11-20T10:00:00Z') }));
    expect(result).toMatchObject({ outcome: 'accepted', providerMessageId: 'm_fake1' });
    expect(api.sent[0]).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' });
  });

  it('outside the window refuses a marketing message for good, saying why, without calling Messenger', async () => {
    api.knowUser(PSID);
    const result = await sendThrough(messenger, aMessage({ lastInboundAt: undefined }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: expect.stringMatching(/^outside Messenger's 24 h standard messaging window: marketing messages are not allowed/),
      },
    });
    expect(api.sent).toHaveLength(0);
  });

  it('a rate limit (Graph error 613 on HTTP 400) fails transiently, and the retry goes through', async () => {
    api.knowUser(PSID, { wroteRecently: true });
    api.throttleNext(1);
    const first = await sendThrough(messenger, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'Messenger failed: (#613) Calls to this api have exceeded the rate limit. (code 613)' },
    });
    const retry = await sendThrough(messenger, aMessage({ attempt: 2 }));
    expect(retry).toMatchObject({ outcome: 'accepted', providerMessageId: 'm_fake1' });
  });

  it('a user who cannot be reached fails the message for good with Messenger own message', async () => {
    api.knowUser(PSID, { wroteRecently: true });
    api.makeUnavailable(PSID);
    const result = await sendThrough(messenger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: "Messenger refused the message: This person isn't available right now. (code 551, subcode 1545041)",
      },
    });
  });

  it('a wrong Page token is refused for good', async () => {
    const stranger = new MessengerProvider({
      ...messengerConfig({ ...settings, baseUrl: api.baseUrl }, 'messenger', context),
      pageToken: 'wrong',
    });
    const result = await sendThrough(stranger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: 'Messenger refused the message: Invalid OAuth access token - Cannot parse access token (code 190)',
      },
    });
  });

  it('a Send API that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    const hasty = messengerFactory({ ...settings, baseUrl: api.baseUrl, timeoutMs: 300 }, 'messenger', context);
    api.goSilent();
    const result = await sendThrough(hasty, aMessage());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'unknown', message: 'Messenger did not answer within 300 ms' } });
  });

  it('a body over 2000 characters fails for good without calling Messenger', async () => {
    const result = await sendThrough(messenger, aMessage({ body: 'x'.repeat(2001) }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'the message has 2001 characters; Messenger takes at most 2000' },
    });
  });

  it('a read watermark after a send reports that message read', async () => {
    api.knowUser(PSID, { wroteRecently: true });
    await sendThrough(messenger, aMessage());
    const read = {
      sender: { id: PSID },
      recipient: { id: 'PAGE' },
      timestamp: now.getTime() + 60_000,
      read: { watermark: now.getTime() + 30_000 },
    };
    const content = messenger.webhooks.parse(
      aMessengerNotification('app-secret', { object: 'page', entry: [{ id: 'PAGE', messaging: [read] }] }),
    );
    expect(content.statuses).toEqual([{ providerMessageId: 'm_fake1', status: 'read', at: '2026-11-24T10:01:00.000Z' }]);
  });
});

describe('messengerFactory', () => {
  it.each([
    [{ pageTokenEnv: undefined }, 'providers.messenger.pageTokenEnv: must name the environment variable holding the Page access token'],
    [{ appSecretEnv: 'FB_MISSING' }, 'providers.messenger.appSecretEnv: environment variable FB_MISSING is not set'],
    [{ verifyTokenEnv: 'FB_NOPE' }, 'providers.messenger.verifyTokenEnv: environment variable FB_NOPE is not set'],
    [{ apiVersion: '21' }, 'providers.messenger.apiVersion: must be a Graph API version such as v21.0'],
  ])('refuses %j: %s', (overrides, error) => {
    expect(() => messengerFactory({ ...settings, ...overrides }, 'messenger', context)).toThrow(error);
  });

  it('talks to the real Graph API v21.0 within 10 s unless told otherwise, and declares the 24 h window', () => {
    expect(messengerConfig(settings, 'messenger', context)).toEqual({
      channel: 'messenger',
      pageToken: 'EAAG-page-token',
      appSecret: 'app-secret',
      verifyToken: 'verify-me',
      apiVersion: 'v21.0',
      baseUrl: 'https://graph.facebook.com',
      timeoutMs: 10_000,
    });
    expect(messengerFactory(settings, 'messenger', context).capabilities).toEqual({
      maxLength: 2000,
      idempotencyKey: false,
      sessionWindowHours: 24,
    });
  });
});
