import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@nudge/service-runtime';
import { loadIngestConfig } from './config';
import { IngestModule } from './ingest.module';
import { SEGMENT_ROUTES_PATH } from './segment/segment.controller';

/** Builds the ingest service (used by main.ts and by tests). */
export async function createIngestApp(env: Record<string, string | undefined>): Promise<INestApplication> {
  // analytics.js posts its JSON as text/plain (no CORS preflight) to the Segment-compatible routes.
  return createServiceApp(IngestModule.forRoot(loadIngestConfig(env)), { plainTextJsonPaths: [SEGMENT_ROUTES_PATH] });
}
