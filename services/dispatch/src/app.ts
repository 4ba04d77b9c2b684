import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@nudge/service-runtime';
import { loadDispatchConfig } from './config';
import { DispatchModule, type DispatchAppOptions } from './dispatch.module';

/**
 * Builds the dispatch service (used by main.ts and by tests). Request bodies are kept as
 * bytes too: provider webhooks are signed over them. Tests may add provider factories.
 */
export async function createDispatchApp(
  env: Record<string, string | undefined>,
  options: DispatchAppOptions = {},
): Promise<INestApplication> {
  return createServiceApp(DispatchModule.forRoot(loadDispatchConfig(env), options), { keepRawBody: true });
}
