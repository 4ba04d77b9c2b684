import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_BODY_RETENTION_MS } from '@nudge/kafka';
import { z, type ZodRawShape } from 'zod';
import { DEFAULT_CONSUMER_STALL_SECONDS } from './consumer-progress';

/** The environment is wrong: names the variable and what is expected of it. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const brokerList = z
  .string()
  .trim()
  .min(1)
  .transform((v) =>
    v
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)), 'must be a comma-separated list of host:port');

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+\/[^/]+$/.test(v), 'must be a postgres:// URL naming a database');

/** An on/off variable: `1`/`true` or `0`/`false`. */
export const flagSchema = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** A comma-separated list of keys (two during a rotation); kept as written, split by ApiAuth. */
const keyList = z
  .string()
  .refine((v) => v.split(',').some((key) => key.trim() !== ''), 'must hold at least one key (comma-separated)')
  .refine((v) => v.split(',').every((key) => !/\s/.test(key.trim())), 'a key may not contain whitespace');

/** Variables every service reads (SPEC §1). */
export const sharedEnvShape = {
  KAFKA_BROKERS: brokerList.default('localhost:9092'),
  /** TLS to the brokers; KAFKA_SSL_CA_FILE trusts a private CA, KAFKA_SSL_REJECT_UNAUTHORIZED=0 any certificate. */
  KAFKA_SSL: flagSchema.default('0'),
  KAFKA_SSL_CA_FILE: z.string().trim().min(1).optional(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: flagSchema.default('1'),
  /** SASL to the brokers: mechanism, user and password go together. */
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** A directory of secret files (Docker/Kubernetes secrets): a variable not set is read from the file of its name. */
  NUDGE_SECRETS_DIR: z.string().trim().min(1).optional(),
  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/nudge'),
  NUDGE_CONFIG_DIR: z.string().trim().min(1).default('./config'),
  /** Admin key(s), comma-separated: every route. */
  NUDGE_API_KEY: keyList.optional(),
  /** Ingest key(s), comma-separated: only routes scoped `ingest` (events, a user's profile). */
  NUDGE_INGEST_KEY: keyList.optional(),
  /** Secret of end users' inbox tokens (hex HMAC-SHA256 keyed with it over the user id). */
  NUDGE_INBOX_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  NUDGE_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may hold letters, digits, dot, dash and underscore')
    .default(''),
  PUBLIC_URL: z.string().url().default('http://localhost:3002'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Append the JSON log lines to this file instead of stdout. */
  LOG_FILE: z.string().trim().min(1).optional(),
  /** `retention.ms` of the topics that carry bodies (dispatch, DLQs) when a service creates them; default 7 days. */
  NUDGE_BODY_TOPIC_RETENTION_MS: z.coerce.number().int().min(60_000).default(DEFAULT_BODY_RETENTION_MS),
  /** `/health` reports a consumed partition with lag that has not advanced for longer than this. */
  NUDGE_CONSUMER_STALL_SECONDS: z.coerce.number().int().min(1).default(DEFAULT_CONSUMER_STALL_SECONDS),
  /** How long a starting service waits for Kafka and Postgres to answer before it gives up (exits). */
  NUDGE_START_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
} satisfies ZodRawShape;

export const portSchema = z.coerce.number().int().min(0).max(65535);

/**
 * Validates `env` against a service's schema, or throws a ConfigError naming each bad
 * variable. A variable of the schema not set in `env` is read from the file of its name in
 * NUDGE_SECRETS_DIR when there is one (trimmed). Values of secret variables are never quoted.
 */
export function loadConfig<S extends ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
): z.infer<z.ZodObject<S>> {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const present = { ...secretsFromDir(set.NUDGE_SECRETS_DIR, Object.keys(shape)), ...set };
  const result = z.object(shape).superRefine(kafkaTransportIssues).safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    const variable = String(i.path[0]);
    const got = isSecretVariable(variable) ? 'a value not shown' : JSON.stringify(present[variable]);
    return `${i.path.join('.')}: ${i.message} (got ${got})`;
  });
  throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
}

/** The files of `dir` named like one of `names` (regular files only), trimmed; none without a dir. */
export function secretsFromDir(dir: string | undefined, names: readonly string[]): Record<string, string> {
  if (dir === undefined) return {};
  if (!existsSync(dir)) throw new ConfigError(`NUDGE_SECRETS_DIR: ${dir} does not exist`);
  const found: Record<string, string> = {};
  for (const name of names) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    const file = path.join(dir, name);
    if (existsSync(file)) found[name] = readFileSync(file, 'utf8').trim();
  }
  return found;
}

function isSecretVariable(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|_KEY$|DATABASE_URL/.test(name);
}

/** Kafka's TLS and SASL variables only make sense together; each issue names the variable to set. */
function kafkaTransportIssues(config: Record<string, unknown>, context: z.RefinementCtx): void {
  const issue = (variable: string, message: string) => context.addIssue({ code: z.ZodIssueCode.custom, path: [variable], message });
  if (config.KAFKA_SASL_MECHANISM !== undefined) {
    if (config.KAFKA_SASL_USERNAME === undefined) issue('KAFKA_SASL_USERNAME', 'must be set when KAFKA_SASL_MECHANISM is');
    if (config.KAFKA_SASL_PASSWORD === undefined) {
      issue('KAFKA_SASL_PASSWORD', 'must be set (or be a file in NUDGE_SECRETS_DIR) when KAFKA_SASL_MECHANISM is');
    }
  } else if (config.KAFKA_SASL_USERNAME !== undefined || config.KAFKA_SASL_PASSWORD !== undefined) {
    issue('KAFKA_SASL_MECHANISM', 'must be plain, scram-sha-256 or scram-sha-512 when a SASL user or password is set');
  }
  if (config.KAFKA_SSL === false && (config.KAFKA_SSL_CA_FILE !== undefined || config.KAFKA_SSL_REJECT_UNAUTHORIZED === false)) {
    issue('KAFKA_SSL', 'must be 1 when KAFKA_SSL_CA_FILE or KAFKA_SSL_REJECT_UNAUTHORIZED is set');
  }
  const caFile = config.KAFKA_SSL_CA_FILE;
  if (typeof caFile === 'string' && !existsSync(caFile)) issue('KAFKA_SSL_CA_FILE', `no file at ${caFile}`);
}

/** What the runtime needs of any service's config. */
export interface RuntimeConfig {
  KAFKA_BROKERS: string[];
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SSL_REJECT_UNAUTHORIZED: boolean;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  DATABASE_URL: string;
  NUDGE_API_KEY?: string;
  NUDGE_INGEST_KEY?: string;
  NUDGE_INBOX_SECRET?: string;
  NUDGE_TOPIC_PREFIX: string;
  LOG_LEVEL: string;
  LOG_FILE?: string;
  NUDGE_BODY_TOPIC_RETENTION_MS?: number;
  NUDGE_CONSUMER_STALL_SECONDS?: number;
  NUDGE_START_TIMEOUT_SECONDS?: number;
}
