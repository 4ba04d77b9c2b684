import { ConfigError, runService, startTracing } from '@nudge/service-runtime';
import { createIngestApp } from './app';
import { loadIngestConfig } from './config';

async function main(): Promise<void> {
  const config = loadIngestConfig(process.env);
  // Before the app exists, so its spans have somewhere to go (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  startTracing('ingest', process.env);
  await runService(await createIngestApp(process.env), config.INGEST_PORT, 'ingest');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `ingest: ${error.message}` : error);
  process.exit(1);
});
