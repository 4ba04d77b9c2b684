import { maxEventAgeSetting } from '@nudge/contracts';
import { loadConfig, portSchema, sharedEnvShape } from '@nudge/service-runtime';
import { z } from 'zod';

export const ingestEnvShape = {
  ...sharedEnvShape,
  INGEST_PORT: portSchema.default(3000),
  /**
   * Longest an event request waits for Kafka's acknowledgement before answering 503.
   * Safe because the client retries with the same eventIds (the idempotency key).
   */
  INGEST_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** How old an event's timestamp may be when it arrives (ISO-8601 duration, default P30D), in milliseconds. */
  NUDGE_MAX_EVENT_AGE: maxEventAgeSetting,
};

export type IngestConfig = ReturnType<typeof loadIngestConfig>;

export function loadIngestConfig(env: Record<string, string | undefined>) {
  return loadConfig(ingestEnvShape, env);
}

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
