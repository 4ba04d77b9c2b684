import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakeWhatsAppCloudApi, type FakeWhatsAppCloudApi } from '../../testing/fake-whatsapp-cloud-api';
import { WhatsAppCloudProvider, whatsappCloudFactory } from './whatsapp-cloud.provider';
import { whatsappCloudConfig } from './whatsapp-cloud.settings';

const TOKEN = 'EAAJB3f7ZBqHUBO0test0token';
const PHONE_NUMBER_ID = '106540352242922';
const context = { env: { WA_TOKEN: TOKEN, WA_APP_SECRET: 'app-secret', WA_VERIFY_TOKEN: 'verify-me' }, publicUrl: 'https://nudge.example' };
const NOW = new Date('2026-11-24T10:00:00Z');
const FIRST_WAMID = 'wamid.HBgLMzQ2MDAwMDAwMDEVAgARGBI00000001AA==';
const USER = '+34600000001';

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'whatsapp', to: USER, lastInboundAt: new Date('2026-11-24T08:00:00Z'), now: NOW, ...overrides });

describe('WhatsAppCloudProvider', () => {
  let api: FakeWhatsAppCloudApi;
  let whatsapp: WhatsAppCloudProvider;
  const settings = (overrides: Record<string, unknown> = {}) => ({
    provider: 'whatsapp-cloud',
    phoneNumberId: PHONE_NUMBER_ID,
    tokenEnv: 'WA_TOKEN',
    baseUrl: api.baseUrl,
    timeoutMs: 10_000,
    templates: { marketing: { name: 'cart_reminder', language: 'es' } },
    ...overrides,
  });

  beforeEach(async () => {
    api = await startFakeWhatsAppCloudApi({ token: TOKEN, phoneNumberId: PHONE_NUMBER_ID, templates: { cart_reminder: 'es' } });
    api.openSession(USER);
    whatsapp = whatsappCloudFactory(settings(), 'whatsapp', context) as WhatsAppCloudProvider;
  });
  afterEach(() => api.close());

  it('sends free-form text inside the 24 h window and keeps the wamid', async () => {
    const result = await sendThrough(whatsapp, aMessage());
    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: FIRST_WAMID });
    expect(api.sent[0]?.payload).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: USER,
      type: 'text',
      text: { body: 'Your cart is waiting' },
    });
  });

  it("sends the category's approved template outside the window", async () => {
    const result = await sendThrough(whatsapp, aMessage({ lastInboundAt: undefined }));
    expect(result).toMatchObject({ outcome: 'accepted', providerMessageId: FIRST_WAMID });
    expect(api.sent[0]?.payload).toMatchObject({
      type: 'template',
      template: {
        name: 'cart_reminder',
        language: { code: 'es' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your cart is waiting' }] }],
      },
    });
  });

  it('refuses for good, without calling WhatsApp, a message outside the window with no template for its category', async () => {
    const result = await sendThrough(whatsapp, aMessage({ category: 'transactional', lastInboundAt: new Date('2026-11-22T10:00:00Z') }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: "outside WhatsApp's 24 h customer-service window and no template configured for transactional" },
    });
    expect(api.requests).toHaveLength(0);
  });

  it('rate limit hit (130429) fails transiently, and the retry goes through', async () => {
    api.throttleNext(1);
    const first = await sendThrough(whatsapp, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'transient',
        message: 'WhatsApp is busy: (#130429) Rate limit hit (code 130429): Cloud API message throughput has been reached.',
      },
    });
    const retry = await sendThrough(whatsapp, aMessage({ attempt: 2 }));
    expect(retry).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: FIRST_WAMID });
  });

  it("a re-engagement refusal (131047) fails for good with Meta's message", async () => {
    const result = await sendThrough(whatsapp, aMessage({ to: '+34600000002' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: expect.stringMatching(/^WhatsApp refused the message: \(#131047\) Re-engagement message \(code 131047, subcode 2494010\)/),
      },
    });
  });

  it('an unapproved template fails for good (132001)', async () => {
    const other = whatsappCloudFactory(
      settings({ templates: { marketing: { name: 'cart_reminder', language: 'en_US' } } }),
      'whatsapp',
      context,
    );
    const result = await sendThrough(other, aMessage({ lastInboundAt: undefined }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message:
          'WhatsApp refused the message: (#132001) Template name does not exist in the translation (code 132001): template name (cart_reminder) does not exist in en_US',
      },
    });
  });

  it('an invalid token fails for good (190)', async () => {
    const stranger = new WhatsAppCloudProvider({ ...whatsappCloudConfig(settings(), 'whatsapp', context), token: 'expired' });
    const result = await sendThrough(stranger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: expect.stringMatching(/\(code 190\) \(the access token is invalid or has expired\)$/) },
    });
  });

  it('a Cloud API that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    const hasty = whatsappCloudFactory(settings({ timeoutMs: 300 }), 'whatsapp', context);
    api.goSilent();
    const result = await sendThrough(hasty, aMessage());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'unknown', message: 'WhatsApp did not answer within 300 ms' } });
  });

  it('declares the 24 h session window', () => {
    expect(whatsapp.capabilities).toEqual({ maxLength: 4096, idempotencyKey: false, sessionWindowHours: 24 });
  });
});

describe('whatsappCloudFactory', () => {
  it.each([
    [{ tokenEnv: 'WA_TOKEN' }, 'providers.whatsapp.phoneNumberId: must give the WhatsApp business phone number id'],
    [{ phoneNumberId: '1234' }, 'providers.whatsapp.tokenEnv: must name the environment variable holding the access token'],
    [{ phoneNumberId: '1234', tokenEnv: 'MISSING' }, 'providers.whatsapp.tokenEnv: environment variable MISSING is not set'],
    [
      { phoneNumberId: '1234', tokenEnv: 'WA_TOKEN', appSecretEnv: 'MISSING' },
      'providers.whatsapp.appSecretEnv: environment variable MISSING is not set',
    ],
    [
      { phoneNumberId: '1234', tokenEnv: 'WA_TOKEN', verifyTokenEnv: 'MISSING' },
      'providers.whatsapp.verifyTokenEnv: environment variable MISSING is not set',
    ],
    [
      { phoneNumberId: '1234', tokenEnv: 'WA_TOKEN', templates: { marketing: { name: 'x' } } },
      'providers.whatsapp.templates.marketing.language: must give the template language code',
    ],
  ])('refuses %j: %s', (settings, error) => {
    expect(() => whatsappCloudFactory({ provider: 'whatsapp-cloud', ...settings }, 'whatsapp', context)).toThrow(error);
  });

  it("talks to the real Graph host, API v21.0, within 10 s unless told otherwise (SPEC's example settings)", () => {
    expect(whatsappCloudConfig({ provider: 'whatsapp-cloud', phoneNumberId: '1234', tokenEnv: 'WA_TOKEN' }, 'whatsapp', context)).toEqual({
      channel: 'whatsapp',
      phoneNumberId: '1234',
      token: TOKEN,
      version: 'v21.0',
      templates: {},
      baseUrl: 'https://graph.facebook.com',
      timeoutMs: 10_000,
    });
  });
});
