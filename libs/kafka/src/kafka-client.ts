import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { dlqTopic, topicName, type TopicKey } from '@nudge/contracts';
import { kafkaTransportOptions, type KafkaTransport } from './kafka-transport';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name (NUDGE_TOPIC_PREFIX); empty in production. */
  topicPrefix: string;
  /** TLS and SASL to the brokers (KAFKA_SSL*, KAFKA_SASL_*); plain TCP when absent. */
  transport?: KafkaTransport;
}

/** Where kafkajs' own log lines go; a pino logger fits. */
export interface KafkaLogSink {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * A kafkajs client whose logs go to our structured logger, warnings and up only. Every
 * client of the services is built here, so TLS and SASL apply to all of them alike.
 */
export function createKafka(settings: KafkaSettings, sink?: KafkaLogSink): Kafka {
  const toSink: logCreator = () => (entry: LogEntry) => {
    if (!sink) return;
    // Our producers retry a bounded number of times on purpose (a request must fail
    // rather than hang); every consumer dedups by eventId / sendId, so a duplicate
    // from a later retry is harmless and this warning is noise.
    if (entry.log.message.startsWith('Limiting retries for the idempotent producer')) return;
    const { message, ...fields } = entry.log;
    const line = { namespace: entry.namespace, ...fields };
    if (entry.level === logLevel.ERROR) sink.error(line, `kafka: ${message}`);
    else sink.warn(line, `kafka: ${message}`);
  };
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ...kafkaTransportOptions(settings.transport ?? {}),
    logLevel: logLevel.WARN,
    logCreator: toSink,
    retry: { initialRetryTime: 200, retries: 8 },
  });
}

/** Topic names of one stack, prefix applied. */
export class TopicNames {
  constructor(readonly prefix = '') {}
  of(key: TopicKey): string {
    return topicName(key, this.prefix);
  }
  get events(): string {
    return this.of('events');
  }
  get profiles(): string {
    return this.of('profiles');
  }
  get dispatch(): string {
    return this.of('dispatch');
  }
  get deliveries(): string {
    return this.of('deliveries');
  }
  dlq(topic: string): string {
    return dlqTopic(topic);
  }
}
