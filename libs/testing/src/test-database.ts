import { randomBytes } from 'node:crypto';
import { dropDatabase, migrateDatabase } from '@nudge/persistence';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const admin = new URL(process.env.NUDGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  admin.pathname = `/nudge_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = admin.toString();
  await migrateDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}

/** The run's broker list, set by the global setup. */
export function testKafkaBrokers(): string {
  const brokers = process.env.NUDGE_TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('NUDGE_TEST_KAFKA_BROKERS is not set: run integration tests through jest (global setup starts Kafka)');
  return brokers;
}

/** A topic prefix no other test shares, so stacks on one broker never see each other's records. */
export function uniqueTopicPrefix(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}.`;
}
