import { ValidationError, type Channel } from '@nudge/contracts';
import type { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';

/**
 * `providers.<channel>` read with an adapter's schema. A bad setting throws an Error naming
 * it and what is wrong (`providers.sms.baseUrl: Invalid url`), the first issue only, the way
 * every HTTP adapter reports its settings to the person editing settings.yaml.
 */
export function parseProviderSettings<Schema extends z.ZodTypeAny>(
  schema: Schema,
  settings: ProviderSettings,
  channel: Channel,
): z.output<Schema> {
  const parsed = schema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`providers.${channel}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as z.output<Schema>;
}

/**
 * A credential from the variable a setting names (`tokenEnv: NUDGE_SECRET_TELEGRAM_TOKEN`):
 * settings never hold secrets themselves, and `validateSettings` lets them name only
 * NUDGE_SECRET_* variables, which are all dispatch puts in `context.env` (from its
 * environment or NUDGE_SECRETS_DIR). Unset or empty throws an Error naming both the
 * setting and the variable: `providers.<channel>.<setting>: environment variable <name> is not set`.
 */
export function envCredential(context: ProviderContext, channel: Channel, setting: string, variable: string): string {
  const value = context.env[variable];
  if (value) return value;
  const { path, message } = missingCredential(channel, setting, variable);
  throw new Error(`${path}: ${message}`);
}

/**
 * `envCredential` for the adapters that read their settings with `parseOrThrow` (smtp,
 * webhook): a missing credential is then a ValidationError like their other settings errors,
 * `invalid settings: providers.<channel>.<setting> environment variable <name> is not set`.
 */
export function envCredentialOrValidationError(context: ProviderContext, channel: Channel, setting: string, variable: string): string {
  const value = context.env[variable];
  if (value) return value;
  const { path, message } = missingCredential(channel, setting, variable);
  throw new ValidationError(`invalid settings: ${path} ${message}`, [{ path, message }]);
}

function missingCredential(channel: Channel, setting: string, variable: string): { path: string; message: string } {
  return { path: `providers.${channel}.${setting}`, message: `environment variable ${variable} is not set` };
}
