import { loadConfig, portSchema, sharedEnvShape } from '@nudge/service-runtime';
import { z } from 'zod';

export const dispatchEnvShape = {
  ...sharedEnvShape,
  DISPATCH_PORT: portSchema.default(3002),
  /** Most messages one sender batch claims. */
  DISPATCH_SEND_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Sender loops in this process, each working on its own batch. */
  DISPATCH_SENDERS: z.coerce.number().int().min(1).max(32).default(2),
  /** Most provider calls in flight at once within a batch. */
  DISPATCH_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  /** How often an idle sender looks for ready messages (it also wakes when messages arrive). */
  DISPATCH_POLL_MS: z.coerce.number().int().min(5).max(10_000).default(250),
  /** How long a claimed message stays with its sender before another may retry it. */
  DISPATCH_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** Provider calls per message before a transient failure becomes `failed`. */
  DISPATCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  /** The first retry's delay; each later one doubles, up to DISPATCH_RETRY_MAX_MS. */
  DISPATCH_RETRY_BASE_MS: z.coerce.number().int().min(1).default(2_000),
  /** How often fallback chains are checked for messages not read in time. */
  DISPATCH_FALLBACK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  DISPATCH_RETRY_MAX_MS: z.coerce.number().int().min(1).default(300_000),
  /** How often dispatch looks for a new version of the settings (its providers and rate limits). */
  DISPATCH_SETTINGS_REFRESH_MS: z.coerce.number().int().min(100).default(2_000),
};

export type DispatchConfig = ReturnType<typeof loadDispatchConfig>;

/**
 * The validated variables, plus the whole environment as `providerEnv`: provider settings
 * name the variables holding their credentials (`tokenEnv: WA_TOKEN`), which no schema can list.
 */
export function loadDispatchConfig(env: Record<string, string | undefined>) {
  return { ...loadConfig(dispatchEnvShape, env), providerEnv: Object.freeze({ ...env }) as Readonly<Record<string, string | undefined>> };
}

export const DISPATCH_CONFIG = Symbol('DISPATCH_CONFIG');
