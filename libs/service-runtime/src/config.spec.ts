import { ConfigError, loadConfig, portSchema, sharedEnvShape } from './config';

const shape = { ...sharedEnvShape, RULES_PORT: portSchema.default(3001) };

describe('loadConfig', () => {
  it('fills the defaults of SPEC §1', () => {
    expect(loadConfig(shape, {})).toMatchObject({
      KAFKA_BROKERS: ['localhost:9092'],
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/nudge',
      NUDGE_CONFIG_DIR: './config',
      PUBLIC_URL: 'http://localhost:3002',
      NUDGE_TOPIC_PREFIX: '',
      RULES_PORT: 3001,
    });
  });

  it('splits a broker list', () => {
    expect(loadConfig(shape, { KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['RULES_PORT', 'eighty'],
    ['PUBLIC_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
  ])('names %s when it is %s', (variable, value) => {
    expect(() => loadConfig(shape, { [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig(shape, { [variable]: value })).toThrow(new RegExp(variable));
  });
});
