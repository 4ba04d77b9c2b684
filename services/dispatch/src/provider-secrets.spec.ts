import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadDispatchConfig } from './config';

describe("dispatch's provider credentials", () => {
  it('are the NUDGE_SECRET_* variables only: nothing else of the environment can be named by settings', () => {
    const { providerEnv } = loadDispatchConfig({
      DATABASE_URL: 'postgres://u:p@db/nudge',
      NUDGE_API_KEY: 'admin',
      NUDGE_SECRET_TWILIO_SID: 'AC1',
      NUDGE_SECRET_EMPTY: '',
    });
    expect(providerEnv).toEqual({ NUDGE_SECRET_TWILIO_SID: 'AC1' });
  });

  it('come from the files of NUDGE_SECRETS_DIR too, trimmed, the environment winning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nudge-secrets-'));
    writeFileSync(path.join(dir, 'NUDGE_SECRET_TWILIO_TOKEN'), 'from-file\n');
    writeFileSync(path.join(dir, 'NUDGE_SECRET_TWILIO_SID'), 'overridden');
    writeFileSync(path.join(dir, 'OTHER_FILE'), 'not a provider secret');
    const { providerEnv } = loadDispatchConfig({ NUDGE_SECRETS_DIR: dir, NUDGE_SECRET_TWILIO_SID: 'AC1' });
    expect(providerEnv).toEqual({ NUDGE_SECRET_TWILIO_SID: 'AC1', NUDGE_SECRET_TWILIO_TOKEN: 'from-file' });
  });

  it('and a provider base URL elsewhere is off unless NUDGE_ALLOW_PROVIDER_BASE_URL=1', () => {
    expect(loadDispatchConfig({}).NUDGE_ALLOW_PROVIDER_BASE_URL).toBe(false);
    expect(loadDispatchConfig({ NUDGE_ALLOW_PROVIDER_BASE_URL: '1' }).NUDGE_ALLOW_PROVIDER_BASE_URL).toBe(true);
  });
});
