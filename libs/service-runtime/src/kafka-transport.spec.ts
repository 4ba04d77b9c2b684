import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, sharedEnvShape } from './config';
import { kafkaTransportOf } from './kafka-transport';

const transportOf = (env: Record<string, string>) => kafkaTransportOf(loadConfig(sharedEnvShape, env));

describe('Kafka TLS and SASL from the environment', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nudge-kafka-tls-'));
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n');

  it('is plain TCP by default', () => {
    expect(transportOf({})).toEqual({});
  });

  it('turns TLS on with KAFKA_SSL=1', () => {
    expect(transportOf({ KAFKA_SSL: '1' })).toEqual({ tls: { rejectUnauthorized: true } });
  });

  it('trusts the CA of KAFKA_SSL_CA_FILE, and any certificate only with KAFKA_SSL_REJECT_UNAUTHORIZED=0', () => {
    expect(transportOf({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile, KAFKA_SSL_REJECT_UNAUTHORIZED: '0' })).toEqual({
      tls: { rejectUnauthorized: false, ca: [expect.stringContaining('BEGIN CERTIFICATE')] },
    });
  });

  it.each([['plain'], ['scram-sha-256'], ['scram-sha-512']])('authenticates with SASL %s', (mechanism) => {
    expect(transportOf({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'nudge', KAFKA_SASL_PASSWORD: 'pw' })).toEqual({
      sasl: { mechanism, username: 'nudge', password: 'pw' },
    });
  });

  it('reads the SASL password from NUDGE_SECRETS_DIR when the variable is not set', () => {
    const secrets = mkdtempSync(path.join(tmpdir(), 'nudge-secrets-'));
    writeFileSync(path.join(secrets, 'KAFKA_SASL_PASSWORD'), 'from-a-file\n');
    const env = { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'nudge', NUDGE_SECRETS_DIR: secrets };
    expect(transportOf(env).sasl?.password).toBe('from-a-file');
  });

  it.each<[string, Record<string, string>]>([
    ['KAFKA_SASL_USERNAME', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'pw' }],
    ['KAFKA_SASL_PASSWORD', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'nudge' }],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SASL_USERNAME: 'nudge', KAFKA_SASL_PASSWORD: 'pw' }],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'nudge', KAFKA_SASL_PASSWORD: 'pw' }],
    ['KAFKA_SSL', { KAFKA_SSL_CA_FILE: caFile }],
    ['KAFKA_SSL_CA_FILE', { KAFKA_SSL: '1', KAFKA_SSL_CA_FILE: path.join(dir, 'missing.pem') }],
    ['KAFKA_SSL', { KAFKA_SSL: 'yes' }],
  ])('names %s when the variables do not agree', (variable, env) => {
    expect(() => transportOf(env)).toThrow(ConfigError);
    expect(() => transportOf(env)).toThrow(new RegExp(`${variable}:`));
  });

  it('never quotes a password in a config error', () => {
    expect(() => transportOf({ KAFKA_SASL_PASSWORD: 'hunter2' })).toThrow(/^(?!.*hunter2)/s);
  });
});
