import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@nudge/service-runtime';
import { loadIngestConfig } from './config';
import { IngestModule } from './ingest.module';

/** Builds the ingest service (used by main.ts and by tests). */
export async function createIngestApp(env: Record<string, string | undefined>): Promise<INestApplication> {
  return createServiceApp(IngestModule.forRoot(loadIngestConfig(env)));
}
