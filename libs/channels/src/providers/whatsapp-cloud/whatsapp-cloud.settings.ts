import type { Category, Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const WHATSAPP_CLOUD_PROVIDER = 'whatsapp-cloud';
export const WHATSAPP_CLOUD_API = 'https://graph.facebook.com';

const templateSchema = z.object({
  name: z.string({ required_error: 'must give the approved template name' }).min(1),
  language: z.string({ required_error: 'must give the template language code (es, en_US…)' }).min(1),
});

export const whatsappSettingsSchema = z.object({
  phoneNumberId: z
    .union([z.string().regex(/^\d+$/), z.number().int().positive()], { required_error: 'must give the WhatsApp business phone number id' })
    .transform(String),
  tokenEnv: z.string({ required_error: 'must name the environment variable holding the access token' }).min(1),
  appSecretEnv: z.string().min(1).optional(),
  verifyTokenEnv: z.string().min(1).optional(),
  version: z
    .string()
    .regex(/^v\d+\.\d+$/, 'must be a Graph API version like v21.0')
    .default('v21.0'),
  templates: z.object({ marketing: templateSchema.optional(), transactional: templateSchema.optional() }).default({}),
  baseUrl: z.string().url().default(WHATSAPP_CLOUD_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** An approved message template: what is sent outside the customer-service window. */
export interface WhatsAppTemplate {
  name: string;
  language: string;
}

/** What the WhatsApp Cloud adapter runs with: its settings, and the secrets they name read from the environment. */
export interface WhatsAppCloudConfig {
  channel: Channel;
  phoneNumberId: string;
  /** The bearer token of every call. */
  token: string;
  /** The app secret Meta signs callbacks with; without it no callback is accepted. */
  appSecret?: string;
  /** The token Meta's subscription handshake must present; without it no handshake is answered. */
  verifyToken?: string;
  version: string;
  /** The template per category, for messages outside the customer-service window. */
  templates: Partial<Record<Category, WhatsAppTemplate>>;
  baseUrl: string;
  timeoutMs: number;
}

/** Reads `providers.<channel>` for WhatsApp Cloud; a bad setting or a missing secret names the setting and the variable. */
export function whatsappCloudConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): WhatsAppCloudConfig {
  const { phoneNumberId, tokenEnv, appSecretEnv, verifyTokenEnv, version, templates, baseUrl, timeoutMs } = parseProviderSettings(
    whatsappSettingsSchema,
    settings,
    channel,
  );
  return {
    channel,
    phoneNumberId,
    token: envCredential(context, channel, 'tokenEnv', tokenEnv),
    ...(appSecretEnv && { appSecret: envCredential(context, channel, 'appSecretEnv', appSecretEnv) }),
    ...(verifyTokenEnv && { verifyToken: envCredential(context, channel, 'verifyTokenEnv', verifyTokenEnv) }),
    version,
    templates,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeoutMs,
  };
}
