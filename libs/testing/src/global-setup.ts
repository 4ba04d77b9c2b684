import { startTestInfrastructure, type TestInfrastructure } from './infrastructure';

declare global {
  var __NUDGE_TEST_INFRA__: TestInfrastructure | undefined;
}

/** Jest global setup: one broker and one database server for the whole run. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const infra = await startTestInfrastructure((line) => process.stderr.write(`[test infra] ${line}\n`));
  globalThis.__NUDGE_TEST_INFRA__ = infra;
  // Workers are forked after this, so they inherit these.
  process.env.NUDGE_TEST_KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.NUDGE_TEST_POSTGRES_URL = infra.postgresAdminUrl;
  process.stderr.write(`\n[test infra] ${infra.describe} ready in ${Date.now() - started} ms\n`);
}
