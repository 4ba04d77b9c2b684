import { ConfigError, runService } from '@nudge/service-runtime';
import { createIngestApp } from './app';
import { loadIngestConfig } from './config';

async function main(): Promise<void> {
  const config = loadIngestConfig(process.env);
  await runService(await createIngestApp(process.env), config.INGEST_PORT, 'ingest');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `ingest: ${error.message}` : error);
  process.exit(1);
});
