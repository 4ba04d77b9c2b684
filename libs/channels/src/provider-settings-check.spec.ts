import { providersSettingsIssues } from './provider-settings-check';

describe('provider settings as dispatch would read them', () => {
  it('accepts what each adapter accepts, and providers without settings', () => {
    expect(
      providersSettingsIssues({
        sms: {
          provider: 'twilio',
          accountSidEnv: 'NUDGE_SECRET_SID',
          authTokenEnv: 'NUDGE_SECRET_TOKEN',
          rateLimit: '50/s',
          maxRetryAge: 'PT2H',
        },
        webhook: { provider: 'webhook', secretEnv: 'NUDGE_SECRET_HOOK', allowedHosts: ['*.acme.example'], maxRetryAge: 'P2D' },
        inapp: { provider: 'inapp' },
        push: { provider: 'sandbox' },
      }),
    ).toEqual([]);
  });

  it.each([
    ['a missing credential setting', { provider: 'webhook' }, 'providers.webhook.secretEnv'],
    [
      'a bad allowed host',
      { provider: 'webhook', secretEnv: 'NUDGE_SECRET_HOOK', allowedHosts: ['*'] },
      'providers.webhook.allowedHosts[0]',
    ],
    [
      'an option of the wrong type',
      { provider: 'webhook', secretEnv: 'NUDGE_SECRET_HOOK', timeoutMs: 'soon' },
      'providers.webhook.timeoutMs',
    ],
    ['an unknown provider', { provider: 'carrier-pigeon' }, 'providers.webhook.provider'],
    ['a name every object inherits', { provider: 'constructor' }, 'providers.webhook.provider'],
  ])('names %s', (_case, webhook, path) => {
    expect(providersSettingsIssues({ webhook }).map((issue) => issue.path)).toContain(path);
  });
});
