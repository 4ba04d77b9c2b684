import { ConfigError, runService, startTracing } from '@nudge/service-runtime';
import { createDispatchApp } from './app';
import { loadDispatchConfig } from './config';

async function main(): Promise<void> {
  const config = loadDispatchConfig(process.env);
  // Before the app exists, so its spans have somewhere to go (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  startTracing('dispatch', process.env);
  await runService(await createDispatchApp(process.env), config.DISPATCH_PORT, 'dispatch');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `dispatch: ${error.message}` : error);
  process.exit(1);
});
