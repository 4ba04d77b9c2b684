import type { KafkaTransport } from '@nudge/kafka';
import { readFileSync } from 'node:fs';
import type { RuntimeConfig } from './config';

/**
 * The brokers' TLS and SASL as the KAFKA_SSL* and KAFKA_SASL_* variables configure them
 * (loadConfig has already checked they agree); reads the CA file KAFKA_SSL_CA_FILE names.
 */
export function kafkaTransportOf(config: RuntimeConfig): KafkaTransport {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  return {
    ...(config.KAFKA_SSL && {
      tls: {
        rejectUnauthorized: config.KAFKA_SSL_REJECT_UNAUTHORIZED,
        ...(config.KAFKA_SSL_CA_FILE !== undefined && { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] }),
      },
    }),
    ...(mechanism !== undefined && username !== undefined && password !== undefined && { sasl: { mechanism, username, password } }),
  };
}
