import type { ZodTypeAny } from 'zod';
import type { ProviderFactory } from '../provider-factory';
import { fcmSettingsSchema } from './fcm/fcm.settings';
import { messengerSettingsSchema } from './messenger/messenger.settings';
import { smsapiSettingsSchema } from './smsapi/smsapi.settings';
import { smtpSettingsSchema } from './smtp/smtp-settings';
import { telegramSettingsSchema } from './telegram/telegram.settings';
import { twilioSettingsSchema } from './twilio/twilio.settings';
import { viberSettingsSchema } from './viber/viber.settings';
import { vkSettingsSchema } from './vk/vk.settings';
import { webhookSettingsSchema } from './webhook/webhook-settings';
import { webpushSettingsSchema } from './webpush/webpush.settings';
import { whatsappSettingsSchema } from './whatsapp-cloud/whatsapp-cloud.settings';

import { SANDBOX_PROVIDER, SandboxProvider } from '../sandbox/sandbox.provider';
import { FCM_PROVIDER, fcmFactory } from './fcm/fcm.provider';
import { createInAppProvider, INAPP_PROVIDER } from './inapp/inapp.provider';
import { MESSENGER_PROVIDER, messengerFactory } from './messenger/messenger.provider';
import { smsapiFactory } from './smsapi/smsapi.provider';
import { SMSAPI_PROVIDER } from './smsapi/smsapi.settings';
import { createSmtpProvider, SMTP_PROVIDER } from './smtp/smtp.provider';
import { TELEGRAM_PROVIDER, telegramFactory } from './telegram/telegram.provider';
import { twilioFactory } from './twilio/twilio.provider';
import { TWILIO_PROVIDER } from './twilio/twilio.settings';
import { VIBER_PROVIDER, viberFactory } from './viber/viber.provider';
import { VK_PROVIDER, vkFactory } from './vk/vk.provider';
import { createWebhookProvider, WEBHOOK_PROVIDER } from './webhook/webhook.provider';
import { WEBPUSH_PROVIDER, webpushFactory } from './webpush/webpush.provider';
import { whatsappCloudFactory } from './whatsapp-cloud/whatsapp-cloud.provider';
import { WHATSAPP_CLOUD_PROVIDER } from './whatsapp-cloud/whatsapp-cloud.settings';

/**
 * Every provider Nudge can send through, by the name settings.yaml gives it
 * (`providers.<channel>.provider`). One line per adapter.
 */
export const PROVIDER_FACTORIES: Readonly<Record<string, ProviderFactory>> = {
  [SANDBOX_PROVIDER]: () => new SandboxProvider(),
  // adapters: keep one entry per line, alphabetical below this comment
  [FCM_PROVIDER]: fcmFactory,
  [INAPP_PROVIDER]: createInAppProvider,
  [MESSENGER_PROVIDER]: messengerFactory,
  [SMSAPI_PROVIDER]: smsapiFactory,
  [SMTP_PROVIDER]: createSmtpProvider,
  [TELEGRAM_PROVIDER]: telegramFactory,
  [TWILIO_PROVIDER]: twilioFactory,
  [VIBER_PROVIDER]: viberFactory,
  [VK_PROVIDER]: vkFactory,
  [WEBHOOK_PROVIDER]: createWebhookProvider,
  [WEBPUSH_PROVIDER]: webpushFactory,
  [WHATSAPP_CLOUD_PROVIDER]: whatsappCloudFactory,
};

/**
 * The settings schema each adapter reads `providers.<channel>` with before it looks up any
 * credential, by provider name (sandbox and inapp take no settings). Rules checks saved settings
 * against these, so a document it accepts is one dispatch can build, credentials aside.
 */
export const PROVIDER_SETTINGS_SCHEMAS: Readonly<Record<string, ZodTypeAny>> = {
  [FCM_PROVIDER]: fcmSettingsSchema,
  [MESSENGER_PROVIDER]: messengerSettingsSchema,
  [SMSAPI_PROVIDER]: smsapiSettingsSchema,
  [SMTP_PROVIDER]: smtpSettingsSchema,
  [TELEGRAM_PROVIDER]: telegramSettingsSchema,
  [TWILIO_PROVIDER]: twilioSettingsSchema,
  [VIBER_PROVIDER]: viberSettingsSchema,
  [VK_PROVIDER]: vkSettingsSchema,
  [WEBHOOK_PROVIDER]: webhookSettingsSchema,
  [WEBPUSH_PROVIDER]: webpushSettingsSchema,
  [WHATSAPP_CLOUD_PROVIDER]: whatsappSettingsSchema,
};
