import type { KafkaConfig, SASLOptions } from 'kafkajs';

/** The SASL mechanisms Nudge speaks to a broker (kafkajs supports all three). */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** TLS to the brokers: `ca` (PEM) trusts a private CA; `rejectUnauthorized: false` accepts any certificate (tests only). */
export interface KafkaTls {
  ca?: string[];
  rejectUnauthorized: boolean;
}

/** SASL authentication: one mechanism, one user. */
export interface KafkaSasl {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** How the client reaches the brokers: plain TCP unless TLS and/or SASL are given. */
export interface KafkaTransport {
  tls?: KafkaTls;
  sasl?: KafkaSasl;
}

/** The kafkajs `ssl` and `sasl` options of a transport; none of either for plain TCP. */
export function kafkaTransportOptions(transport: KafkaTransport): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (transport.tls) {
    const { ca, rejectUnauthorized } = transport.tls;
    options.ssl = ca === undefined && rejectUnauthorized ? true : { rejectUnauthorized, ...(ca === undefined ? {} : { ca }) };
  }
  if (transport.sasl) options.sasl = saslOptions(transport.sasl);
  return options;
}

function saslOptions({ mechanism, username, password }: KafkaSasl): SASLOptions {
  return { mechanism, username, password };
}
