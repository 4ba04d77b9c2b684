import { z, type ZodRawShape } from 'zod';

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

/** Variables every service reads (SPEC §1). */
export const sharedEnvShape = {
  KAFKA_BROKERS: brokerList.default('localhost:9092'),
  DATABASE_URL: postgresUrl.default('postgres://postgres@127.0.0.1:5432/nudge'),
  NUDGE_CONFIG_DIR: z.string().trim().min(1).default('./config'),
  NUDGE_API_KEY: z.string().min(1).optional(),
  NUDGE_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'may hold letters, digits, dot, dash and underscore')
    .default(''),
  PUBLIC_URL: z.string().url().default('http://localhost:3002'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
} satisfies ZodRawShape;

export const portSchema = z.coerce.number().int().min(0).max(65535);

/** Validates `env` against a service's schema, or throws a ConfigError naming each bad variable. */
export function loadConfig<S extends ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
): z.infer<z.ZodObject<S>> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])])})`);
  throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
}

/** What the runtime needs of any service's config. */
export interface RuntimeConfig {
  KAFKA_BROKERS: string[];
  DATABASE_URL: string;
  NUDGE_API_KEY?: string;
  NUDGE_TOPIC_PREFIX: string;
  LOG_LEVEL: string;
}
