import type { Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const TELEGRAM_API = 'https://api.telegram.org';

export const telegramSettingsSchema = z.object({
  tokenEnv: z.string({ required_error: 'must name the environment variable holding the bot token' }).min(1),
  secretTokenEnv: z.string({ required_error: 'must name the environment variable holding the webhook secret token' }).min(1),
  baseUrl: z.string().url().default(TELEGRAM_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** What the Telegram adapter runs with: its settings, and the credentials they name read from the environment. */
export interface TelegramConfig {
  channel: Channel;
  /** The bot token (`123456:ABC…`), part of every Bot API URL. */
  token: string;
  /** The `secret_token` given to `setWebhook`; Telegram echoes it in `X-Telegram-Bot-Api-Secret-Token`. */
  secretToken: string;
  baseUrl: string;
  timeoutMs: number;
}

/** Reads `providers.<channel>` for Telegram; a bad setting or a missing credential names the setting and the variable. */
export function telegramConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): TelegramConfig {
  const parsed = parseProviderSettings(telegramSettingsSchema, settings, channel);
  return {
    channel,
    token: envCredential(context, channel, 'tokenEnv', parsed.tokenEnv),
    secretToken: envCredential(context, channel, 'secretTokenEnv', parsed.secretTokenEnv),
    baseUrl: parsed.baseUrl.replace(/\/+$/, ''),
    timeoutMs: parsed.timeoutMs,
  };
}
