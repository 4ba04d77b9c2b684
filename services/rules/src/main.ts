import { ConfigError, runService, startTracing } from '@nudge/service-runtime';
import { createRulesApp } from './app';
import { loadRulesConfig } from './config';

async function main(): Promise<void> {
  const config = loadRulesConfig(process.env);
  // Before the app exists, so its spans have somewhere to go (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  startTracing('rules', process.env);
  await runService(await createRulesApp(process.env), config.RULES_PORT, 'rules');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `rules: ${error.message}` : error);
  process.exit(1);
});
