import { kafkaTransportOptions } from './kafka-transport';

describe('kafkaTransportOptions', () => {
  it('is plain TCP when neither TLS nor SASL is given', () => {
    expect(kafkaTransportOptions({})).toEqual({});
  });

  it("is TLS with the system's trusted CAs when only TLS is on", () => {
    expect(kafkaTransportOptions({ tls: { rejectUnauthorized: true } })).toEqual({ ssl: true });
  });

  it('trusts a private CA when one is given', () => {
    expect(kafkaTransportOptions({ tls: { ca: ['PEM'], rejectUnauthorized: true } })).toEqual({
      ssl: { ca: ['PEM'], rejectUnauthorized: true },
    });
  });

  it('accepts any certificate only when told to', () => {
    expect(kafkaTransportOptions({ tls: { rejectUnauthorized: false } })).toEqual({ ssl: { rejectUnauthorized: false } });
  });

  it.each([['plain'], ['scram-sha-256'], ['scram-sha-512']] as const)('authenticates with SASL %s', (mechanism) => {
    expect(kafkaTransportOptions({ sasl: { mechanism, username: 'nudge', password: 'pw' } })).toEqual({
      sasl: { mechanism, username: 'nudge', password: 'pw' },
    });
  });

  it('combines TLS and SASL (SASL_SSL)', () => {
    const options = kafkaTransportOptions({
      tls: { rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
    expect(options).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
  });
});
