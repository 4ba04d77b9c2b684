import type { Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const VK_API = 'https://api.vk.com';

export const vkSettingsSchema = z.object({
  tokenEnv: z.string({ required_error: 'must name the environment variable holding the community access token' }).min(1),
  secretEnv: z.string({ required_error: 'must name the environment variable holding the Callback API secret key' }).min(1),
  confirmationCodeEnv: z.string({ required_error: 'must name the environment variable holding the Callback API confirmation code' }).min(1),
  groupId: z.number().int().positive().optional(),
  apiVersion: z
    .string()
    .regex(/^\d+\.\d+$/, 'must be a VK API version such as 5.199')
    .default('5.199'),
  baseUrl: z.string().url().default(VK_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** What the VK adapter runs with: its settings, and the credentials they name read from the environment. */
export interface VkConfig {
  channel: Channel;
  /** The community access token (with the `messages` right). */
  token: string;
  /** The Callback API secret key: VK puts it in every callback's `secret`. */
  secret: string;
  /** What the endpoint answers to VK's `confirmation` callback. */
  confirmationCode: string;
  /** When given, callbacks for any other community are refused. */
  groupId?: number;
  apiVersion: string;
  baseUrl: string;
  timeoutMs: number;
}

/** Reads `providers.<channel>` for VK; a bad setting or a missing credential names the setting and the variable. */
export function vkConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): VkConfig {
  const { tokenEnv, secretEnv, confirmationCodeEnv, groupId, apiVersion, baseUrl, timeoutMs } = parseProviderSettings(
    vkSettingsSchema,
    settings,
    channel,
  );
  return {
    channel,
    token: envCredential(context, channel, 'tokenEnv', tokenEnv),
    secret: envCredential(context, channel, 'secretEnv', secretEnv),
    confirmationCode: envCredential(context, channel, 'confirmationCodeEnv', confirmationCodeEnv),
    ...(groupId !== undefined && { groupId }),
    apiVersion,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeoutMs,
  };
}
