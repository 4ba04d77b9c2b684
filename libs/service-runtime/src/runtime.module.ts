import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { createKafka, ensureTopics, JsonProducer, TopicNames } from '@nudge/kafka';
import { createDataSource } from '@nudge/persistence';
import type { Kafka } from 'kafkajs';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { ApiAuth } from './api-auth';
import { ApiKeyGuard } from './api-key.guard';
import type { RuntimeConfig } from './config';
import { HealthController } from './health.controller';
import { kafkaTransportOf } from './kafka-transport';
import { serviceLogging } from './log-redaction';
import { HttpErrorFilter } from './http-error.filter';
import { MetricsController } from './metrics.controller';
import { PrintableParamsPipe } from './printable-params.pipe';
import { ServiceMetrics } from './metrics';
import { RecordTraces } from './record-traces';
import { flushTracing } from './tracing';
import { DATA_SOURCE, KAFKA, PRODUCER, SERVICE_CONFIG, SERVICE_NAME, TOPICS } from './tokens';
import { untilReachable, type ReachOptions } from './until-reachable';

/** How long a starting service waits for Kafka and Postgres when its config does not say (`NUDGE_START_TIMEOUT_SECONDS`). */
const DEFAULT_START_TIMEOUT_SECONDS = 300;

export interface RuntimeOptions {
  service: 'ingest' | 'rules' | 'dispatch';
  config: RuntimeConfig;
  poolSize?: number;
  /** Session settings for every pooled connection (see DatabaseOptions.sessionSettings). */
  sessionSettings?: Record<string, string>;
}

/**
 * What every Nudge service has: config, logs, Postgres, Kafka (topics created, one
 * idempotent producer), health, metrics, API-key guard and the error mapping.
 */
@Global()
@Module({})
export class RuntimeModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
  ) {}

  static forRoot(options: RuntimeOptions): DynamicModule {
    const { config, service } = options;
    return {
      module: RuntimeModule,
      imports: [
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: serviceLogging(service, config.LOG_LEVEL, config.LOG_FILE),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: SERVICE_NAME, useValue: service },
        { provide: ServiceMetrics, useValue: new ServiceMetrics(service) },
        { provide: RecordTraces, useValue: new RecordTraces(service) },
        { provide: TOPICS, useValue: new TopicNames(config.NUDGE_TOPIC_PREFIX) },
        {
          provide: DATA_SOURCE,
          inject: [PinoLogger],
          useFactory: async (logger: PinoLogger) => {
            logger.setContext('database');
            const connect = () =>
              createDataSource({
                queryErrorSink: (line) => logger.error(line),
                url: config.DATABASE_URL,
                applicationName: `nudge-${service}`,
                poolSize: options.poolSize,
                sessionSettings: options.sessionSettings,
              }).initialize();
            return untilReachable(connect, startWait(config, 'Postgres', logger));
          },
        },
        {
          provide: KAFKA,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) => {
            logger.setContext('kafka');
            return createKafka(
              {
                brokers: config.KAFKA_BROKERS,
                clientId: `nudge-${service}`,
                topicPrefix: config.NUDGE_TOPIC_PREFIX,
                transport: kafkaTransportOf(config),
              },
              logger,
            );
          },
        },
        {
          provide: PRODUCER,
          inject: [KAFKA, TOPICS, PinoLogger],
          useFactory: async (kafka: Kafka, topics: TopicNames, logger: PinoLogger) => {
            logger.setContext('kafka');
            const connect = async () => {
              await ensureTopics(kafka, topics, undefined, { bodyRetentionMs: config.NUDGE_BODY_TOPIC_RETENTION_MS });
              const producer = new JsonProducer(kafka);
              await producer.connect();
              return producer;
            };
            return untilReachable(connect, startWait(config, `Kafka at ${config.KAFKA_BROKERS.join(',')}`, logger));
          },
        },
        ApiAuth,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useClass: PrintableParamsPipe },
      ],
      exports: [ApiAuth, SERVICE_CONFIG, SERVICE_NAME, ServiceMetrics, RecordTraces, TOPICS, DATA_SOURCE, KAFKA, PRODUCER],
    };
  }

  /** Runs after every module's own shutdown (consumers stopped, timers released). */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    // The spans of the last batches leave before the process does.
    await flushTracing().catch(() => undefined);
  }
}

/** How a service waits at start for its broker or database (`NUDGE_START_TIMEOUT_SECONDS`), saying so in its log. */
function startWait(config: RuntimeConfig, what: string, logger: PinoLogger): ReachOptions {
  const timeoutSeconds = config.NUDGE_START_TIMEOUT_SECONDS ?? DEFAULT_START_TIMEOUT_SECONDS;
  return {
    what,
    timeoutMs: timeoutSeconds * 1_000,
    onRetry: (error, waitedMs) =>
      logger.warn(
        { err: error, waitedSeconds: Math.round(waitedMs / 1000), timeoutSeconds },
        `${what} is not reachable yet; waiting for it (the service starts once it answers)`,
      ),
  };
}
