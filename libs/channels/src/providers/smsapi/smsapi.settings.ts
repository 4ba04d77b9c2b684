import type { Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const SMSAPI_PROVIDER = 'smsapi';
export const SMSAPI_API = 'https://api.smsapi.com';

export const smsapiSettingsSchema = z.object({
  tokenEnv: z.string({ required_error: 'must name the environment variable holding the SMSAPI OAuth token' }).min(1),
  callbackSecretEnv: z.string({ required_error: 'must name the environment variable holding the secret SMSAPI callbacks carry' }).min(1),
  from: z.string().min(1).max(11).optional(),
  baseUrl: z.string().url().default(SMSAPI_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** What the SMSAPI adapter runs with: its settings, and the secrets they name read from the environment. */
export interface SmsapiConfig {
  channel: Channel;
  /** The bearer token of every call. */
  token: string;
  /** The shared secret we put in `notify_url`; SMSAPI signs nothing, so a callback proves itself by carrying it. */
  callbackSecret: string;
  /** The sender name when the message names none; absent, SMSAPI uses the account's default. */
  from?: string;
  baseUrl: string;
  timeoutMs: number;
  /** Base of our public URL, for `notify_url`. */
  publicUrl: string;
}

/** Reads `providers.<channel>` for SMSAPI; a bad setting or a missing secret names the setting and the variable. */
export function smsapiConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): SmsapiConfig {
  const { tokenEnv, callbackSecretEnv, from, baseUrl, timeoutMs } = parseProviderSettings(smsapiSettingsSchema, settings, channel);
  const token = envCredential(context, channel, 'tokenEnv', tokenEnv);
  const callbackSecret = envCredential(context, channel, 'callbackSecretEnv', callbackSecretEnv);
  return {
    channel,
    token,
    callbackSecret,
    ...(from && { from }),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeoutMs,
    publicUrl: context.publicUrl.replace(/\/+$/, ''),
  };
}
