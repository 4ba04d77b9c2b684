import { ConfigError, runService } from '@nudge/service-runtime';
import { createRulesApp } from './app';
import { loadRulesConfig } from './config';

async function main(): Promise<void> {
  const config = loadRulesConfig(process.env);
  await runService(await createRulesApp(process.env), config.RULES_PORT, 'rules');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `rules: ${error.message}` : error);
  process.exit(1);
});
