import { existsSync } from 'node:fs';
import path from 'node:path';

/** How the run's broker and database server were obtained, and how to let them go. */
export interface TestInfrastructure {
  kafkaBrokers: string;
  /** Admin URL of a Postgres server; each test creates its own database on it. */
  postgresAdminUrl: string;
  describe: string;
  stop(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Brings up Kafka (and Postgres where none is given) once per test run, in this order:
 * an explicit KAFKA_BROKERS; testcontainers when a Docker engine answers; otherwise the
 * local KRaft broker of deploy/kafka-local. Postgres: TEST_DATABASE_URL or DATABASE_URL's
 * server, else 127.0.0.1:5432, else a testcontainer.
 */
export async function startTestInfrastructure(log: (line: string) => void): Promise<TestInfrastructure> {
  const stops: (() => Promise<void>)[] = [];
  const descriptions: string[] = [];
  const postgresAdminUrl = await resolvePostgres(stops, descriptions, log);
  const kafkaBrokers = await resolveKafka(stops, descriptions, log);
  return {
    kafkaBrokers,
    postgresAdminUrl,
    describe: descriptions.join(', '),
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

async function resolveKafka(stops: (() => Promise<void>)[], descriptions: string[], log: (line: string) => void): Promise<string> {
  if (process.env.KAFKA_BROKERS) {
    descriptions.push(`Kafka at ${process.env.KAFKA_BROKERS} (KAFKA_BROKERS)`);
    return process.env.KAFKA_BROKERS;
  }
  if (await dockerAnswers()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.7.1').withKraft().withExposedPorts(9093).start();
    stops.push(async () => void (await container.stop()));
    const brokers = `${container.getHost()}:${container.getMappedPort(9093)}`;
    descriptions.push(`Kafka testcontainer at ${brokers}`);
    return brokers;
  }
  const kafkaLocal = await importEsm(path.join(REPO_ROOT, 'deploy/kafka-local/kafka-local.mjs'));
  const kafka = await kafkaLocal.ensureKafka({ log });
  if (kafka.startedByUs) stops.push(kafka.stop);
  descriptions.push(`Kafka at ${kafka.brokers} (deploy/kafka-local${kafka.startedByUs ? ', started for this run' : ', already running'})`);
  return kafka.brokers;
}

async function resolvePostgres(stops: (() => Promise<void>)[], descriptions: string[], log: (line: string) => void): Promise<string> {
  const explicit = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  const candidate = explicit ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (explicit || (await postgresAnswers(candidate))) {
    descriptions.push(`Postgres at ${new URL(candidate).host}`);
    return candidate;
  }
  if (await dockerAnswers()) {
    log('no Postgres on 127.0.0.1:5432; starting a testcontainer');
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    stops.push(async () => void (await container.stop()));
    descriptions.push('Postgres testcontainer');
    return container.getConnectionUri();
  }
  throw new Error(
    'No Postgres answers on 127.0.0.1:5432 and no Docker engine: set TEST_DATABASE_URL to a server the tests may create databases on',
  );
}

async function postgresAnswers(url: string): Promise<boolean> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dockerAnswers(): Promise<boolean> {
  if (process.env.NUDGE_TEST_NO_DOCKER === '1') return false;
  const socket = process.env.DOCKER_HOST ?? '/var/run/docker.sock';
  if (!process.env.DOCKER_HOST && !existsSync(socket)) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

interface KafkaLocalModule {
  ensureKafka(options: { log: (line: string) => void }): Promise<{ brokers: string; startedByUs: boolean; stop: () => Promise<void> }>;
}

/** A real dynamic import, which the CommonJS transform of test files would otherwise rewrite. */
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<KafkaLocalModule>;
