import { maxEventAgeSetting } from '@nudge/contracts';
import { flagSchema, loadConfig, portSchema, sharedEnvShape } from '@nudge/service-runtime';
import { z } from 'zod';

export const rulesEnvShape = {
  ...sharedEnvShape,
  RULES_PORT: portSchema.default(3001),
  /** 1: a provider's `baseUrl` setting may point elsewhere than the provider's API (fakes in tests, a proxy). */
  NUDGE_ALLOW_PROVIDER_BASE_URL: flagSchema.default('0'),
  /**
   * How old an event's timestamp may be relative to its `receivedAt` (ISO-8601 duration,
   * default P30D, the same as ingest's), in milliseconds; older records go to the DLQ.
   */
  NUDGE_MAX_EVENT_AGE: maxEventAgeSetting,
  /**
   * Most timers one poller transaction fires. A batch's cost is mostly its round trips, not its
   * timers: on the bench's 2-core box, 2 workers of 1,000 fired ~18 % more a second than 4 of
   * 250 (README "Benchmark"). The default stays 4 of 250 until chaos runs confirm that the one
   * loss seen with 2 of 1,000 was the chaos harness's (README "Benchmark").
   */
  TIMER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(250),
  /** How often an idle poller looks for due timers. */
  TIMER_POLL_MS: z.coerce.number().int().min(5).max(10_000).default(25),
  /** Timer batches fired side by side: one waits on Postgres or Kafka while another decides. */
  TIMER_WORKERS: z.coerce.number().int().min(1).max(16).default(4),
  /** Most profiles one broadcast batch reads, decides and publishes in one transaction (a rate limit may ask for fewer). */
  BROADCAST_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  /** How often an idle broadcast runner looks for a due batch: a sendAt, the end of a rate limit's pause, or another instance's new broadcast. */
  BROADCAST_POLL_MS: z.coerce.number().int().min(5).max(60_000).default(100),
  /** How often campaign versions saved by other instances are picked up. */
  CAMPAIGN_REFRESH_MS: z.coerce.number().int().min(100).default(2_000),
  /** Days kept of seen event ids, exception events and the cap ledger: longer than any delay, cap or re-eligibility period. */
  RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
};

export type RulesConfig = ReturnType<typeof loadRulesConfig>;

export function loadRulesConfig(env: Record<string, string | undefined>) {
  return loadConfig(rulesEnvShape, env);
}

export const RULES_CONFIG = Symbol('RULES_CONFIG');
