import { maxEventAgeSetting } from '@nudge/contracts';
import { loadConfig, portSchema, sharedEnvShape } from '@nudge/service-runtime';
import { z } from 'zod';

export const ingestEnvShape = {
  ...sharedEnvShape,
  INGEST_PORT: portSchema.default(3000),
  /**
   * Longest a request (events, profile change, erasure) waits for Kafka's acknowledgement
   * before answering 503; a profile change or erasure then rolls back. Safe because the client
   * retries with the same eventIds (the idempotency key) and profiles are compacted by user.
   */
  INGEST_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Longest one SQL statement of a request may run, waiting on the user's lock included
   * (Postgres `statement_timeout` of ingest's connections); past it the request answers 503
   * and its transaction rolls back.
   */
  INGEST_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** How old an event's timestamp may be when it arrives (ISO-8601 duration, default P30D), in milliseconds. */
  NUDGE_MAX_EVENT_AGE: maxEventAgeSetting,
  /**
   * Kafka topics ingest reads Segment messages and CloudEvents from (comma-separated; unset: none,
   * no consumer). Each record's format is told by itself; a record that cannot be read goes to
   * `<topic>.dlq`. Used as written: NUDGE_TOPIC_PREFIX does not apply (they are the producers' topics).
   */
  INGEST_KAFKA_TOPICS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((topic) => topic.trim())
        .filter((topic) => topic !== ''),
    )
    .refine(
      (topics) => topics.every((topic) => /^[a-zA-Z0-9._-]{1,200}$/.test(topic)),
      'must be a comma-separated list of Kafka topic names',
    )
    .refine((topics) => topics.every((topic) => !topic.endsWith('.dlq')), 'must not name a dead-letter topic (.dlq)'),
  /** Where ingest's consumer group starts on an intake topic it has never read: `latest` (new records only) or `earliest` (the whole topic). */
  INGEST_KAFKA_START: z.enum(['latest', 'earliest']).default('latest'),
};

export type IngestConfig = ReturnType<typeof loadIngestConfig>;

export function loadIngestConfig(env: Record<string, string | undefined>) {
  return loadConfig(ingestEnvShape, env);
}

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
