import { validateSettings } from './settings.schema';

const twilio = (overrides: Record<string, unknown> = {}) => ({
  providers: {
    sms: { provider: 'twilio', accountSidEnv: 'NUDGE_SECRET_TWILIO_SID', authTokenEnv: 'NUDGE_SECRET_TWILIO_TOKEN', ...overrides },
  },
});

const errorsOf = (document: unknown, allowProviderBaseUrl = false) => {
  const result = validateSettings(document, { allowProviderBaseUrl });
  return result.ok ? [] : result.errors;
};

describe('provider credentials in settings', () => {
  it('accepts credentials named by NUDGE_SECRET_ variables', () => {
    expect(errorsOf(twilio())).toEqual([]);
  });

  it.each([['DATABASE_URL'], ['NUDGE_API_KEY'], ['nudge_secret_lower'], ['NUDGE_SECRET_'], ['NUDGE_SECRET_X/../Y'], ['PATH']])(
    'refuses a credential named by %s, naming the field',
    (variable) => {
      expect(errorsOf(twilio({ accountSidEnv: variable }))).toEqual([
        { path: 'providers.sms.accountSidEnv', message: expect.stringContaining('NUDGE_SECRET_') },
      ]);
    },
  );

  it('checks every …Env setting of any provider, not only the known ones', () => {
    const document = {
      providers: {
        email: { provider: 'smtp', host: 'mail.example', from: 'a@example.com', userEnv: 'USER', passwordEnv: 'NUDGE_SECRET_SMTP' },
        webhook: { provider: 'webhook', secretEnv: 42 },
      },
    };
    expect(errorsOf(document).map((e) => e.path)).toEqual(['providers.email.userEnv', 'providers.webhook.secretEnv']);
  });
});

describe('provider baseUrl in settings', () => {
  it("accepts the provider's own API host, with or without a path", () => {
    expect(errorsOf(twilio({ baseUrl: 'https://api.twilio.com' }))).toEqual([]);
    expect(errorsOf(twilio({ baseUrl: 'https://api.twilio.com/' }))).toEqual([]);
  });

  it.each([['http://127.0.0.1:9999'], ['https://api.twilio.com.evil.example'], ['http://api.twilio.com'], ['not a url']])(
    'refuses %s, naming the field',
    (baseUrl) => {
      expect(errorsOf(twilio({ baseUrl }))).toEqual([
        { path: 'providers.sms.baseUrl', message: expect.stringContaining('NUDGE_ALLOW_PROVIDER_BASE_URL=1') },
      ]);
    },
  );

  it('refuses a baseUrl for a provider with no known API host', () => {
    expect(errorsOf({ providers: { sms: { provider: 'sandbox', baseUrl: 'https://example.com' } } })[0]?.path).toBe(
      'providers.sms.baseUrl',
    );
  });

  it('accepts another host when NUDGE_ALLOW_PROVIDER_BASE_URL=1 allows it', () => {
    expect(errorsOf(twilio({ baseUrl: 'http://127.0.0.1:9999' }), true)).toEqual([]);
  });

  it('is strict when no policy is given', () => {
    expect(validateSettings(twilio({ baseUrl: 'http://127.0.0.1:9999' })).ok).toBe(false);
  });
});

describe('provider retry age in settings', () => {
  it('accepts an ISO-8601 duration for any provider', () => {
    expect(validateSettings({ providers: { sms: { provider: 'sandbox', maxRetryAge: 'PT6H' } } }).ok).toBe(true);
  });

  it.each([['soon'], ['PT0S'], [24]])('refuses %p, naming the setting', (maxRetryAge) => {
    const validation = validateSettings({ providers: { sms: { provider: 'sandbox', maxRetryAge } } });
    expect(validation.ok ? [] : validation.errors.map((e) => e.path)).toEqual(['providers.sms.maxRetryAge']);
  });
});

describe('provider onUnknown in settings', () => {
  it.each([['retry'], ['fail']])('accepts %p for any provider', (onUnknown) => {
    expect(validateSettings({ providers: { sms: { provider: 'sandbox', onUnknown } } }).ok).toBe(true);
  });

  it('refuses anything else, naming the setting and the choices', () => {
    const validation = validateSettings({ providers: { sms: { provider: 'sandbox', onUnknown: 'maybe' } } });
    expect(validation.ok ? [] : validation.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'providers.sms.onUnknown: must be retry or fail',
    ]);
  });
});
