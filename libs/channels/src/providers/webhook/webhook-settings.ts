import { parseOrThrow, type Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-registry';
import { envCredentialOrValidationError } from '../shared/provider-settings';

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((url) => /^https?:\/\//i.test(url), 'must be an http(s) URL');

const webhookSettingsSchema = z.object({
  /** Where to post when a recipient's address is a key in the customer's system rather than a URL. */
  url: httpUrl.optional(),
  /** The env variable holding the HMAC secret the customer verifies X-Nudge-Signature with. */
  secretEnv: z.string().min(1, 'must not be empty'),
  /** How long the customer's endpoint may take to answer before the attempt is retried. */
  timeoutMs: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * The hosts a recipient's own URL may point at (`hooks.acme.example`, or `*.acme.example` for
   * its subdomains). Profiles are app data: without this list any URL a profile holds is posted
   * to, internal addresses included. Settings `url` is the operator's own and always allowed.
   */
  allowedHosts: z
    .array(
      z
        .string()
        .regex(
          /^(\*\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i,
          'must be a host name, "*.<domain>" for its subdomains, optionally with :port',
        ),
    )
    .min(1, 'must list at least one host (leave it out to allow any)')
    .optional(),
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
    ...(allowedHosts === undefined ? {} : { allowedHosts: allowedHosts.map((host) => host.toLowerCase()) }),
  };
}

/**
 * Whether `target` (a recipient's URL) is on the allow-list: its host (with the port, when the
 * entry names one) equals an entry, or is a subdomain of a `*.` entry. No list allows any host.
 */
export function isAllowedTarget(target: URL, allowedHosts: readonly string[] | undefined): boolean {
  if (allowedHosts === undefined) return true;
  const host = target.hostname.toLowerCase();
  const hostWithPort = target.port ? `${host}:${target.port}` : host;
  return allowedHosts.some((entry) => {
    const subject = /:\d+$/.test(entry) ? hostWithPort : host;
    return entry.startsWith('*.') ? subject.endsWith(entry.slice(1)) : subject === entry;
  });
}
