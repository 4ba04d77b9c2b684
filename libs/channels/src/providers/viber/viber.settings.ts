import type { Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const VIBER_API = 'https://chatapi.viber.com';

export const viberSettingsSchema = z.object({
  tokenEnv: z.string({ required_error: 'must name the environment variable holding the bot authentication token' }).min(1),
  senderName: z.string({ required_error: "must give the bot's display name (at most 28 characters)" }).min(1).max(28),
  baseUrl: z.string().url().default(VIBER_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** What the Viber adapter runs with: its settings, and the token they name read from the environment. */
export interface ViberConfig {
  channel: Channel;
  /** The bot's authentication token: `X-Viber-Auth-Token` on calls, and the key Viber signs callbacks with. */
  token: string;
  /** `sender.name` when the message names no sender. */
  senderName: string;
  baseUrl: string;
  timeoutMs: number;
}

/** Reads `providers.<channel>` for Viber; a bad setting or a missing credential names the setting and the variable. */
export function viberConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): ViberConfig {
  const { tokenEnv, senderName, baseUrl, timeoutMs } = parseProviderSettings(viberSettingsSchema, settings, channel);
  const token = envCredential(context, channel, 'tokenEnv', tokenEnv);
  return { channel, token, senderName, baseUrl: baseUrl.replace(/\/+$/, ''), timeoutMs };
}
