import { sendThrough } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { startFakeProviderServer } from '../../testing/fake-provider-server';
import { aCartReminder } from '../../testing/outbound-messages';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../testing/fake-twilio-api';
import { TwilioProvider, twilioFactory } from './twilio.provider';
import { twilioConfig } from './twilio.settings';

const SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TOKEN = 'f3c2d1b0a9e8f7d6c5b4a3928170f6e5';
const SERVICE = 'MGbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const context = { env: { TWILIO_SID: SID, TWILIO_TOKEN: TOKEN }, publicUrl: 'https://nudge.example' };
const FIRST_SID = 'SM00000000000000000000000000000001';

const aMessage = (overrides: Partial<OutboundMessage> = {}): OutboundMessage =>
  aCartReminder({ channel: 'sms', to: '+34600000001', ...overrides });

describe('TwilioProvider', () => {
  let api: FakeTwilioApi;
  const twilio = (settings: Record<string, unknown> = {}, channel: 'sms' | 'rcs' = 'sms') =>
    twilioFactory(
      {
        provider: 'twilio',
        accountSidEnv: 'TWILIO_SID',
        authTokenEnv: 'TWILIO_TOKEN',
        baseUrl: api.baseUrl,
        timeoutMs: 10_000,
        ...settings,
      },
      channel,
      context,
    );

  beforeEach(async () => {
    api = await startFakeTwilioApi(SID, TOKEN);
  });
  afterEach(() => api.close());

  it('creates the message from the default sender, with a status callback, and keeps its sid', async () => {
    const result = await sendThrough(twilio({ from: '+15005550006' }), aMessage());
    expect(result).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: FIRST_SID });
    expect(api.created[0]?.fields).toEqual({
      To: '+34600000001',
      From: '+15005550006',
      Body: 'Your cart is waiting',
      StatusCallback: 'https://nudge.example/v1/providers/twilio/status',
    });
  });

  it("sends from the campaign's alphanumeric sender over the default one", async () => {
    await sendThrough(twilio({ from: '+15005550006' }), aMessage({ sender: 'ACME' }));
    expect(api.created[0]?.fields.From).toBe('ACME');
  });

  it('sends through the Messaging Service when there is no From', async () => {
    await sendThrough(twilio({ messagingServiceSid: SERVICE }), aMessage());
    expect(api.created[0]?.fields).toMatchObject({ MessagingServiceSid: SERVICE });
    expect(api.created[0]?.fields.From).toBeUndefined();
  });

  it("sends RCS through the Messaging Service, marks the callback as RCS, and makes the campaign's sender the SMS fallback sender", async () => {
    const result = await sendThrough(
      twilio({ messagingServiceSid: SERVICE, from: '+15005550006' }, 'rcs'),
      aMessage({ channel: 'rcs', sender: 'ACME' }),
    );
    expect(result).toMatchObject({ outcome: 'accepted', providerMessageId: FIRST_SID });
    expect(api.created[0]?.fields).toEqual({
      To: '+34600000001',
      MessagingServiceSid: SERVICE,
      FallbackFrom: 'ACME',
      Body: 'Your cart is waiting',
      StatusCallback: 'https://nudge.example/v1/providers/twilio/status?channel=rcs',
    });
  });

  it('429 fails transiently with Twilio message, and the retry goes through', async () => {
    const provider = twilio({ from: '+15005550006' });
    api.throttleNext(1);
    const first = await sendThrough(provider, aMessage());
    expect(first).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: 'Twilio is throttling: Too Many Requests (code 20429)' },
    });
    const retry = await sendThrough(provider, aMessage({ attempt: 2 }));
    expect(retry).toEqual({ outcome: 'accepted', status: 'sent', providerMessageId: FIRST_SID });
  });

  it("a 503 fails transiently and carries Twilio's Retry-After, in seconds or as a date", async () => {
    const retryAt = new Date(Date.now() + 90_000).toUTCString();
    const answers = ['120', retryAt];
    const busy = await startFakeProviderServer(() => ({
      status: 503,
      body: { code: 20503, message: 'Service Unavailable', status: 503 },
      headers: { 'retry-after': answers.shift() ?? '' },
    }));
    try {
      const provider = twilio({ from: '+15005550006', baseUrl: busy.baseUrl });
      const inSeconds = await sendThrough(provider, aMessage());
      expect(inSeconds).toMatchObject({ outcome: 'rejected', error: { kind: 'transient', retryAfterMs: 120_000 } });
      const atDate = await sendThrough(provider, aMessage());
      const waited = atDate.outcome === 'rejected' && atDate.error.kind === 'transient' ? atDate.error.retryAfterMs : undefined;
      expect(waited).toBeGreaterThan(80_000);
      expect(waited).toBeLessThanOrEqual(90_000);
    } finally {
      await busy.close();
    }
  });

  it('a 503 without Retry-After fails transiently with no wait of its own', async () => {
    const busy = await startFakeProviderServer(() => ({ status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } }));
    try {
      const result = await sendThrough(twilio({ from: '+15005550006', baseUrl: busy.baseUrl }), aMessage());
      expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'transient', retryAfterMs: undefined } });
    } finally {
      await busy.close();
    }
  });

  it('an invalid number fails for good with Twilio message and code', async () => {
    const result = await sendThrough(twilio({ from: '+15005550006' }), aMessage({ to: '600000001' }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: "Twilio refused the message: The 'To' number 600000001 is not a valid phone number. (code 21211)",
      },
    });
  });

  it('a wrong Auth Token fails for good (20003)', async () => {
    const stranger = new TwilioProvider({
      ...twilioConfig(
        { provider: 'twilio', accountSidEnv: 'TWILIO_SID', authTokenEnv: 'TWILIO_TOKEN', from: '+15005550006', baseUrl: api.baseUrl },
        'sms',
        context,
      ),
      authToken: 'wrong',
    });
    const result = await sendThrough(stranger, aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'Twilio refused the message: Authenticate (code 20003)' },
    });
  });

  it('a Twilio that never answers is an unknown outcome after the timeout (the request may have arrived)', async () => {
    api.goSilent();
    const result = await sendThrough(twilio({ from: '+15005550006', timeoutMs: 300 }), aMessage());
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'unknown', message: 'Twilio did not answer within 300 ms' } });
  });

  it('a Twilio that cannot be reached fails transiently', async () => {
    const baseUrl = api.baseUrl;
    await api.close();
    const result = await sendThrough(twilio({ from: '+15005550006', baseUrl }), aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: expect.stringMatching(/^Twilio could not be reached: /) },
    });
  });

  it('a body over 1600 characters fails for good without calling Twilio', async () => {
    const result = await sendThrough(twilio({ from: '+15005550006' }), aMessage({ body: 'x'.repeat(1601) }));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'the message has 1601 characters; Twilio takes at most 1600' },
    });
    expect(api.requests).toHaveLength(0);
  });

  it('a message with no sender anywhere fails for good, saying where to set one', async () => {
    const result = await sendThrough(twilio(), aMessage());
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: "no sender for Twilio: set providers.sms.from or messagingServiceSid, or the campaign's message.sender",
      },
    });
  });
});

describe('twilioFactory', () => {
  it.each([
    [
      { authTokenEnv: 'TWILIO_TOKEN' },
      'sms',
      'providers.sms.accountSidEnv: must name the environment variable holding the Twilio Account SID',
    ],
    [
      { accountSidEnv: 'TWILIO_SID' },
      'sms',
      'providers.sms.authTokenEnv: must name the environment variable holding the Twilio Auth Token',
    ],
    [
      { accountSidEnv: 'MISSING_SID', authTokenEnv: 'TWILIO_TOKEN' },
      'sms',
      'providers.sms.accountSidEnv: environment variable MISSING_SID is not set',
    ],
    [
      { accountSidEnv: 'TWILIO_SID', authTokenEnv: 'MISSING_TOKEN' },
      'sms',
      'providers.sms.authTokenEnv: environment variable MISSING_TOKEN is not set',
    ],
    [
      { accountSidEnv: 'TWILIO_SID', authTokenEnv: 'TWILIO_TOKEN', from: '+15005550006' },
      'rcs',
      'providers.rcs.messagingServiceSid: Twilio sends RCS through a Messaging Service',
    ],
  ] as const)('refuses %j on %s: %s', (settings, channel, error) => {
    expect(() => twilioFactory({ provider: 'twilio', ...settings }, channel, context)).toThrow(error);
  });

  it('talks to the real Twilio host within 10 s unless told otherwise, and takes other settings (rateLimit) in its stride', () => {
    expect(
      twilioConfig({ provider: 'twilio', accountSidEnv: 'TWILIO_SID', authTokenEnv: 'TWILIO_TOKEN', rateLimit: '50/s' }, 'sms', context),
    ).toEqual({
      channel: 'sms',
      accountSid: SID,
      authToken: TOKEN,
      baseUrl: 'https://api.twilio.com',
      timeoutMs: 10_000,
      publicUrl: 'https://nudge.example',
    });
  });
});
