import { createRulesApp } from '@nudge/rules';
import { eventually, TestStack } from '@nudge/testing';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SECRET_VALUE = 'AC-this-value-never-leaves';

const twilio = (overrides: Record<string, unknown> = {}) => ({
  providers: {
    sms: { provider: 'twilio', accountSidEnv: 'NUDGE_SECRET_TWILIO_SID', authTokenEnv: 'NUDGE_SECRET_TWILIO_TOKEN', ...overrides },
  },
});

const settingsFile = (accountSidEnv: string) => `
defaultTimezone: Europe/Madrid
providers:
  sms: { provider: twilio, accountSidEnv: ${accountSidEnv}, authTokenEnv: NUDGE_SECRET_TWILIO_TOKEN }
`;

// Issue #10 §2: settings name NUDGE_SECRET_* variables only, and a provider's API only at its own host.
describe('secrets in settings', () => {
  let stack: TestStack;
  let configDir: string;
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'nudge-logs-')), 'rules.log');

  beforeAll(async () => {
    configDir = mkdtempSync(path.join(tmpdir(), 'nudge-config-'));
    writeFileSync(path.join(configDir, 'settings.yaml'), settingsFile('NUDGE_SECRET_TWILIO_SID'));
    stack = await TestStack.start({
      factories: { rules: createRulesApp },
      configDir,
      label: 'settings-secrets',
      env: { NUDGE_ALLOW_PROVIDER_BASE_URL: '0', NUDGE_SECRET_TWILIO_SID: SECRET_VALUE, LOG_FILE: logFile },
    });
  });

  afterAll(() => stack?.stop());

  const rules = () => stack.client('rules');

  it.each([
    ['PUT /v1/settings', () => rules().put('/v1/settings', twilio({ accountSidEnv: 'DATABASE_URL' }))],
    ['POST /v1/settings/validate', () => rules().post('/v1/settings/validate', twilio({ accountSidEnv: 'DATABASE_URL' }))],
  ])('%s refuses a credential named by another variable, naming the field', async (_route, send) => {
    const { status, body } = await send();
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ path: 'providers.sms.accountSidEnv', message: expect.stringContaining('NUDGE_SECRET_') }]);
  });

  it("refuses a baseUrl off the provider's API without NUDGE_ALLOW_PROVIDER_BASE_URL=1, naming the field", async () => {
    const { status, body } = await rules().put('/v1/settings', twilio({ baseUrl: 'http://127.0.0.1:9/steal' }));
    expect(status).toBe(400);
    expect(body.error.details).toEqual([{ path: 'providers.sms.baseUrl', message: expect.stringContaining('https://api.twilio.com') }]);
    expect((await rules().put('/v1/settings', twilio({ baseUrl: 'https://api.twilio.com' }))).status).toBe(200);
  });

  it.each([
    ['PUT /v1/settings', (doc: unknown) => rules().put('/v1/settings', doc)],
    ['POST /v1/settings/validate', (doc: unknown) => rules().post('/v1/settings/validate', doc)],
  ])('%s refuses provider settings dispatch could not build, naming each field (found by the fuzz run)', async (_route, send) => {
    const webhook = { provider: 'webhook', url: 'http://[::1]:9/x', allowedHosts: ['*'] };
    const { status, body } = await send({ providers: { webhook } });
    expect(status).toBe(400);
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'providers.webhook.allowedHosts[0]',
      'providers.webhook.secretEnv',
    ]);
    const unknown = await send({ providers: { sms: { provider: 'toString' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'providers.sms.provider', message: expect.stringContaining('unknown provider') }]);
  });

  it('shows which variable a credential comes from, never its value', async () => {
    expect((await rules().put('/v1/settings', twilio())).status).toBe(200);
    const { status, body } = await rules().get('/v1/settings');
    expect(status).toBe(200);
    expect(body.document.providers.sms.accountSidEnv).toBe('NUDGE_SECRET_TWILIO_SID');
    expect(JSON.stringify(body)).not.toContain(SECRET_VALUE);
  });

  it('refuses a settings.yaml naming another variable, with the path in the log, and keeps the version in force', async () => {
    const before = (await rules().get('/v1/settings')).body;
    writeFileSync(path.join(configDir, 'settings.yaml'), settingsFile('DATABASE_URL'));
    await eventually(() => (readFileSync(logFile, 'utf8').includes('providers.sms.accountSidEnv') ? true : undefined), {
      what: 'the refused settings.yaml in the log',
    });
    const after = (await rules().get('/v1/settings')).body;
    expect(after.version).toBe(before.version);
    expect(after.document.providers.sms.accountSidEnv).toBe('NUDGE_SECRET_TWILIO_SID');
  });
});
