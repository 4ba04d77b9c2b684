import type { Channel } from '@nudge/contracts';
import { createECDH } from 'node:crypto';
import { z } from 'zod';
import { allowedHostsSchema } from '../../address-screen/allowed-hosts';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const webpushSettingsSchema = z.object({
  vapidPublicKeyEnv: z.string({ required_error: 'must name the environment variable holding the VAPID public key' }).min(1),
  vapidPrivateKeyEnv: z.string({ required_error: 'must name the environment variable holding the VAPID private key' }).min(1),
  subject: z
    .string({ required_error: 'must give a contact for push services, a mailto: or https: URL' })
    .refine((subject) => /^(mailto:|https:\/\/)\S+$/.test(subject), 'must be a mailto: or https: URL'),
  defaultTitle: z.string().min(1).optional(),
  ttlSeconds: z.number().int().nonnegative().default(86_400),
  timeoutMs: z.number().int().positive().default(10_000),
  allowedHosts: allowedHostsSchema.optional(),
});

/** What the Web Push adapter runs with: its settings, and the VAPID keys they name read from the environment. */
export interface WebpushConfig {
  channel: Channel;
  /** VAPID keys, URL-safe Base64: the P-256 public point (65 bytes) and private scalar (32 bytes). */
  vapidPublicKey: string;
  vapidPrivateKey: string;
  /** The contact push services may use (`mailto:` or `https:`), the VAPID JWT's `sub`. */
  subject: string;
  /** The notification title when the message has no subject; none when absent. */
  defaultTitle?: string;
  /** How long a push service keeps an undelivered notification (the `TTL` header). */
  ttlSeconds: number;
  timeoutMs: number;
  /** The hosts push endpoints may point at (`*.push.apple.com`); an exact entry also lets a host resolve to an internal address. */
  allowedHosts?: readonly string[];
}

/** Reads `providers.<channel>` for Web Push; a bad setting, a missing key or a key pair that does not match names the setting and the variable. */
export function webpushConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): WebpushConfig {
  const { vapidPublicKeyEnv, vapidPrivateKeyEnv, subject, defaultTitle, ttlSeconds, timeoutMs, allowedHosts } = parseProviderSettings(
    webpushSettingsSchema,
    settings,
    channel,
  );
  const key = (setting: 'vapidPublicKeyEnv' | 'vapidPrivateKeyEnv', variable: string, bytes: number): string => {
    const value = envCredential(context, channel, setting, variable);
    if (Buffer.from(value, 'base64url').length !== bytes) {
      throw new Error(
        `providers.${channel}.${setting}: environment variable ${variable} is not a VAPID key (${bytes} bytes, URL-safe Base64)`,
      );
    }
    return value;
  };
  const vapidPublicKey = key('vapidPublicKeyEnv', vapidPublicKeyEnv, 65);
  const vapidPrivateKey = key('vapidPrivateKeyEnv', vapidPrivateKeyEnv, 32);
  const derived = createECDH('prime256v1');
  derived.setPrivateKey(Buffer.from(vapidPrivateKey, 'base64url'));
  if (!derived.getPublicKey().equals(Buffer.from(vapidPublicKey, 'base64url'))) {
    throw new Error(
      `providers.${channel}.vapidPublicKeyEnv: environment variable ${vapidPublicKeyEnv} is not the public key of ${vapidPrivateKeyEnv}`,
    );
  }
  return {
    channel,
    vapidPublicKey,
    vapidPrivateKey,
    subject,
    ...(defaultTitle !== undefined && { defaultTitle }),
    ttlSeconds,
    timeoutMs,
    ...(allowedHosts !== undefined && { allowedHosts }),
  };
}
