import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@nudge/service-runtime';
import { loadDispatchConfig } from './config';
import { DispatchModule } from './dispatch.module';

/** Builds the dispatch service (used by main.ts and by tests). */
export async function createDispatchApp(env: Record<string, string | undefined>): Promise<INestApplication> {
  return createServiceApp(DispatchModule.forRoot(loadDispatchConfig(env)));
}
