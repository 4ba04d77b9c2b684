import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakeSmsapi, type FakeSmsapi } from '../../testing/fake-smsapi';
import { SmsapiProvider, smsapiFactory } from './smsapi.provider';
import { smsapiConfig } from './smsapi.settings';

const TOKEN = 'dGVzdC10b2tlbi1mb3Itc21zYXBp';
const SECRET = 's3cr3t/with+chars';
const context = { env: { SMSAPI_TOKEN: TOKEN, SMSAPI_CALLBACK_SECRET: SECRET }, publicUrl: 'https://nudge.example' };

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'sms', to: '+48500000000', body: 'Twój koszyk czeka', ...overrides });

describe('SmsapiProvider', () => {
  let api: FakeSmsapi;
  let smsapi: SmsapiProvider;
  const settings = (overrides: Record<string, unknown> = {}) => ({
    provider: 'smsapi',
    tokenEnv: 'SMSAPI_TOKEN',
    callbackSecretEnv: 'SMSAPI_CALLBACK_SECRET',
    from: 'Nudge',
    baseUrl: api.baseUrl,
    timeoutMs: 10_000,
    ...overrides,
  });

  beforeEach(async () => {
    api = await startFakeSmsapi(TOKEN, ['Nudge', 'ACME']);
    smsapi = smsapiFactory(settings(), 'sms', context) as SmsapiProvider;
  });
  afterEach(() => api.close());

  it('sends with our message id as idx (checked), a notify_url carrying the secret, and keys the message by that idx', async () => {
    const result = await sendThrough(smsapi, aMessage());
    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: 'm-1' });
    expect(api.sent[0]?.fields).toEqual({
      to: '48500000000',
      message: 'Twój koszyk czeka',
      from: 'Nudge',
      format: 'json',
      encoding: 'utf-8',
      idx: 'm-1',
      check_idx: '1',
      notify_url: 'https://nudge.example/v1/providers/smsapi/status?secret=s3cr3t%2Fwith%2Bchars',
    });
  });

  it("sends from the campaign's sender name over the default one", async () => {
    await sendThrough(smsapi, aMessage({ sender: 'ACME' }));
    expect(api.sent[0]?.fields.from).toBe('ACME');
  });

  it('a retry of a message SMSAPI already took (idx refused, error 53) counts as accepted and sends nothing twice', async () => {
    await sendThrough(smsapi, aMessage());
    const retry = await sendThrough(smsapi, aMessage({ attempt: 2 }));
    expect(retry).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: 'm-1' });
    expect(api.sent).toHaveLength(1);
  });

  it('throttling (429, error 202) fails transiently, and the retry goes through', async () => {
    api.throttleNext(1);
    const first = await sendThrough(smsapi, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: "SMSAPI is busy: Too many simultaneous request, the message won't be sent (error 202)" },
    });
    const retry = await sendThrough(smsapi, aMessage({ attempt: 2 }));
    expect(retry).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: 'm-1' });
  });

  it('an invalid number fails for good with SMSAPI message and code', async () => {
    const result = await sendThrough(smsapi, aMessage({ to: '+48-5' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'SMSAPI refused the message: No correct phone numbers (error 13)' },
    });
  });

  it('an unregistered sender name fails for good (14)', async () => {
    const result = await sendThrough(smsapi, aMessage({ sender: 'Unknown' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'SMSAPI refused the message: Invalid sender name (error 14)' },
    });
  });

  it('a refused token fails for good', async () => {
    const stranger = new SmsapiProvider({
      ...smsapiConfig(
        { provider: 'smsapi', tokenEnv: 'SMSAPI_TOKEN', callbackSecretEnv: 'SMSAPI_CALLBACK_SECRET', baseUrl: api.baseUrl },
        'sms',
        context,
      ),
      token: 'wrong',
    });
    const result = await sendThrough(stranger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'SMSAPI refused the message: Authorization failed (error invalid_token)' },
    });
  });

  it('an SMSAPI that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    const hasty = smsapiFactory(settings({ timeoutMs: 300 }), 'sms', context);
    api.goSilent();
    const result = await sendThrough(hasty, aMessage());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'unknown', message: 'SMSAPI did not answer within 300 ms' } });
  });
});

describe('smsapiFactory', () => {
  it.each([
    [
      { callbackSecretEnv: 'SMSAPI_CALLBACK_SECRET' },
      'providers.sms.tokenEnv: must name the environment variable holding the SMSAPI OAuth token',
    ],
    [
      { tokenEnv: 'SMSAPI_TOKEN' },
      'providers.sms.callbackSecretEnv: must name the environment variable holding the secret SMSAPI callbacks carry',
    ],
    [
      { tokenEnv: 'MISSING', callbackSecretEnv: 'SMSAPI_CALLBACK_SECRET' },
      'providers.sms.tokenEnv: environment variable MISSING is not set',
    ],
    [
      { tokenEnv: 'SMSAPI_TOKEN', callbackSecretEnv: 'MISSING' },
      'providers.sms.callbackSecretEnv: environment variable MISSING is not set',
    ],
  ])('refuses %j: %s', (settings, error) => {
    expect(() => smsapiFactory({ provider: 'smsapi', ...settings }, 'sms', context)).toThrow(error);
  });

  it('talks to the real SMSAPI host within 10 s unless told otherwise', () => {
    expect(
      smsapiConfig({ provider: 'smsapi', tokenEnv: 'SMSAPI_TOKEN', callbackSecretEnv: 'SMSAPI_CALLBACK_SECRET' }, 'sms', context),
    ).toEqual({
      channel: 'sms',
      token: TOKEN,
      callbackSecret: SECRET,
      baseUrl: 'https://api.smsapi.com',
      timeoutMs: 10_000,
      publicUrl: 'https://nudge.example',
    });
  });
});
