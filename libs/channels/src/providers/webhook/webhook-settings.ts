import { parseOrThrow, type Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { allowedHostsSchema } from '../../address-screen/allowed-hosts';
import { envCredentialOrValidationError } from '../shared/provider-settings';

export { isAllowedTarget } from '../../address-screen/allowed-hosts';

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL');

export const webhookSettingsSchema = z.object({
  /** Where to post when a recipient's address is a key in the customer's system rather than a URL. */
  url: httpUrl.optional(),
  /** The env variable holding the HMAC secret the customer verifies X-Nudge-Signature with. */
  secretEnv: z.string().min(1, 'must not be empty'),
  /** How long the customer's endpoint may take to answer before the attempt is retried. */
  timeoutMs: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * The hosts a recipient's own URL may point at (`hooks.acme.example`, or `*.acme.example` for
   * its subdomains). Profiles are app data: without this list any public URL a profile holds is
   * posted to. Settings `url` is the operator's own and always allowed. Internal addresses
   * (loopback, private…) are refused unless an exact entry names the host.
   */
  allowedHosts: allowedHostsSchema.optional(),
});

export interface WebhookSettings {
  url?: string;
  secret: string;
  timeoutMs: number;
  allowedHosts?: readonly string[];
}

/** `providers.<channel>` for provider `webhook`, with its secret read from the env variable it names. */
export function parseWebhookSettings(settings: ProviderSettings, channel: Channel, context: ProviderContext): WebhookSettings {
  const { url, secretEnv, timeoutMs, allowedHosts } = parseOrThrow(webhookSettingsSchema, settings, 'settings', ['providers', channel]);
  const secret = envCredentialOrValidationError(context, channel, 'secretEnv', secretEnv);
  return {
    secret,
    timeoutMs,
    ...(url === undefined ? {} : { url }),
    ...(allowedHosts === undefined ? {} : { allowedHosts }),
  };
}
