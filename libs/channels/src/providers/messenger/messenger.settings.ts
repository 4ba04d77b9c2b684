import type { Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const GRAPH_API = 'https://graph.facebook.com';

export const messengerSettingsSchema = z.object({
  pageTokenEnv: z.string({ required_error: 'must name the environment variable holding the Page access token' }).min(1),
  appSecretEnv: z.string({ required_error: 'must name the environment variable holding the app secret (webhook signatures)' }).min(1),
  verifyTokenEnv: z.string({ required_error: 'must name the environment variable holding the webhook verify token' }).min(1),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must be a Graph API version such as v21.0')
    .default('v21.0'),
  baseUrl: z.string().url().default(GRAPH_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** What the Messenger adapter runs with: its settings, and the credentials they name read from the environment. */
export interface MessengerConfig {
  channel: Channel;
  pageToken: string;
  /** Signs webhook deliveries (`X-Hub-Signature-256`). */
  appSecret: string;
  /** Echoed back by the webhook set-up handshake (`hub.verify_token`). */
  verifyToken: string;
  apiVersion: string;
  baseUrl: string;
  timeoutMs: number;
}

/** Reads `providers.<channel>` for Messenger; a bad setting or a missing credential names the setting and the variable. */
export function messengerConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): MessengerConfig {
  const parsed = parseProviderSettings(messengerSettingsSchema, settings, channel);
  return {
    channel,
    pageToken: envCredential(context, channel, 'pageTokenEnv', parsed.pageTokenEnv),
    appSecret: envCredential(context, channel, 'appSecretEnv', parsed.appSecretEnv),
    verifyToken: envCredential(context, channel, 'verifyTokenEnv', parsed.verifyTokenEnv),
    apiVersion: parsed.apiVersion,
    baseUrl: parsed.baseUrl.replace(/\/+$/, ''),
    timeoutMs: parsed.timeoutMs,
  };
}
