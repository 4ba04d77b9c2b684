import { maxEventAgeSetting } from '@nudge/contracts';
import { flagSchema, loadConfig, portSchema, secretsFromDir, sharedEnvShape } from '@nudge/service-runtime';
import { isProviderSecretName } from '@nudge/settings';
import { readdirSync } from 'node:fs';
import { z } from 'zod';

export const dispatchEnvShape = {
  ...sharedEnvShape,
  DISPATCH_PORT: portSchema.default(3002),
  /** 1: a provider's `baseUrl` setting may point elsewhere than the provider's API (fakes in tests, a proxy). */
  NUDGE_ALLOW_PROVIDER_BASE_URL: flagSchema.default('0'),
  /**
   * How old an event's timestamp may be relative to its `receivedAt` (ISO-8601 duration,
   * default P30D, the same as ingest's), in milliseconds; older records go to the DLQ.
   */
  NUDGE_MAX_EVENT_AGE: maxEventAgeSetting,
  /** Most messages one sender batch claims. */
  DISPATCH_SEND_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** Sender loops in this process, each working on its own batch. */
  DISPATCH_SENDERS: z.coerce.number().int().min(1).max(32).default(2),
  /** Most provider calls in flight at once within a batch. */
  DISPATCH_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  /** How often an idle sender looks for ready messages (it also wakes when messages arrive). */
  DISPATCH_POLL_MS: z.coerce.number().int().min(5).max(10_000).default(250),
  /**
   * How long a claim holds its messages before another sender may retry them. The sender
   * renews it every third of this while its provider calls run, and starts no call once it
   * may have run out (fenced leases).
   */
  DISPATCH_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** Most outbox rows (status events) the relay publishes in one producer call. */
  DISPATCH_OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(2_000),
  /** How often an idle outbox relay looks for rows (it also wakes after every commit that wrote some). */
  DISPATCH_OUTBOX_POLL_MS: z.coerce.number().int().min(5).max(10_000).default(250),
  /**
   * A ceiling of provider calls per message: a message with this many made is `failed`, and
   * the claim never leases it again. Transient failures are retried until the provider's
   * `maxRetryAge` (default PT24H) runs out; with the default backoff that is about 300 calls
   * in a day, so the ceiling binds only when set lower (or for a message whose results are
   * never recorded, a sender crashing on it each time).
   */
  DISPATCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** The first retry's delay; each later one doubles, up to DISPATCH_RETRY_MAX_MS. */
  DISPATCH_RETRY_BASE_MS: z.coerce.number().int().min(1).default(2_000),
  /**
   * Most subscribe-widget codes this process mints a minute (each page view of `/w/{widgetId}`
   * stores one row): beyond it the page answers 429 with Retry-After, so a public page cannot
   * be used to fill the database. Bursts of a second's worth pass at once.
   */
  DISPATCH_WIDGET_CODES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1_200),
  /** How often fallback chains are checked for messages not read in time. */
  DISPATCH_FALLBACK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** The longest backoff between two calls of a message (a provider's Retry-After may ask for longer). */
  DISPATCH_RETRY_MAX_MS: z.coerce.number().int().min(1).default(300_000),
  /** Consecutive failed calls (no answer, or 429/5xx) to one provider that open its circuit breaker. */
  DISPATCH_BREAKER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(10),
  /** How long an open breaker holds a provider's messages before one call probes it. */
  DISPATCH_BREAKER_PROBE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** How often kept early delivery receipts are applied to messages whose provider id is now recorded. */
  DISPATCH_EARLY_RECEIPTS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  /** How long a delivery receipt naming a provider message id no message holds yet is kept before it is dropped as orphaned. */
  DISPATCH_EARLY_RECEIPT_WAIT_MS: z.coerce.number().int().min(100).default(600_000),
  /**
   * Longest a consent change dispatch makes for one user (an unsubscribe link, one-click
   * unsubscribe, a chat bound through a subscribe widget) waits for Kafka to acknowledge the profile it publishes, inside the
   * transaction holding the user's lock and a pooled connection; past it the request answers
   * 503 and the change rolls back. (An inbound STOP writes a suppression by address and does
   * not wait on Kafka.)
   */
  DISPATCH_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Secret(s) of recipient links (`{{ unsubscribe_url }}`, List-Unsubscribe) and subscribe widget
   * codes, comma-separated, at least 16 characters each: the first signs new links, every one is
   * accepted (keep the previous secret after the first while its links live). Unset: no links, a
   * warning at start, and widget pages answer 503.
   */
  NUDGE_LINK_SECRET: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((secret) => secret.trim())
        .filter((secret) => secret !== ''),
    )
    .refine((secrets) => secrets.length > 0, 'must hold at least one secret (comma-separated)')
    .refine((secrets) => secrets.every((secret) => secret.length >= 16), 'every secret must be at least 16 characters')
    .optional(),
  /** How long a recipient link works, in days after the send was decided. */
  NUDGE_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  /** How often dispatch looks for a new version of the settings (its providers and rate limits). */
  DISPATCH_SETTINGS_REFRESH_MS: z.coerce.number().int().min(100).default(2_000),
};

export type DispatchConfig = ReturnType<typeof loadDispatchConfig>;

/**
 * The validated variables, plus `providerEnv`: the provider credentials, which provider
 * settings name (`tokenEnv: NUDGE_SECRET_WA_TOKEN`) and no schema can list. Only
 * NUDGE_SECRET_* variables are there, from the environment or from the files of that name
 * in NUDGE_SECRETS_DIR (the environment wins): nothing else of the process can be named.
 */
export function loadDispatchConfig(env: Record<string, string | undefined>) {
  const config = loadConfig(dispatchEnvShape, env);
  const fromEnv = Object.entries(env).filter(([name, value]) => isProviderSecretName(name) && value !== undefined && value !== '');
  const providerEnv = { ...providerSecretsInDir(config.NUDGE_SECRETS_DIR), ...Object.fromEntries(fromEnv) };
  return { ...config, providerEnv: Object.freeze(providerEnv) as Readonly<Record<string, string | undefined>> };
}

function providerSecretsInDir(dir: string | undefined): Record<string, string> {
  if (dir === undefined) return {};
  return secretsFromDir(dir, readdirSync(dir).filter(isProviderSecretName));
}

export const DISPATCH_CONFIG = Symbol('DISPATCH_CONFIG');
