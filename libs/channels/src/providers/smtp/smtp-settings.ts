import { parseOrThrow, type Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredentialOrValidationError } from '../shared/provider-settings';

export const smtpSettingsSchema = z
  .object({
    host: z.string().trim().min(1, 'must not be empty'),
    /** Absent: nodemailer's default, 465 when `secure`, else 587. */
    port: z.coerce.number().int().min(1).max(65_535).optional(),
    /** TLS from the first byte (port 465); false: plain, upgraded by STARTTLS when offered. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the server upgrades with STARTTLS. */
    requireTLS: z.boolean().default(false),
    userEnv: z.string().min(1).optional(),
    passwordEnv: z.string().min(1).optional(),
    /** The default sender, `Acme <news@acme.example>` or a bare address. */
    from: z.string().trim().min(1, 'must not be empty'),
    defaultSubject: z.string().optional(),
    /**
     * A mailbox for List-Unsubscribe's mailto (`unsubscribe@acme.example`), whose subject
     * carries the link's token; unset: the https one-click link alone (RFC 8058 allows it).
     */
    unsubscribeMailto: z.string().trim().email('must be an e-mail address').optional(),
    /** How long connecting, the greeting and each later reply may take before the attempt is retried. */
    timeoutMs: z.coerce.number().int().min(100).max(120_000).default(15_000),
  })
  .refine((s) => (s.userEnv === undefined) === (s.passwordEnv === undefined), {
    message: 'userEnv and passwordEnv go together',
    path: ['passwordEnv'],
  });

export type SmtpSettings = Omit<z.infer<typeof smtpSettingsSchema>, 'userEnv' | 'passwordEnv'> & {
  auth?: { user: string; pass: string };
};

/** `providers.<channel>` for provider `smtp`, with its credentials read from the env variables it names. */
export function parseSmtpSettings(settings: ProviderSettings, channel: Channel, context: ProviderContext): SmtpSettings {
  const { userEnv, passwordEnv, ...parsed } = parseOrThrow(smtpSettingsSchema, settings, 'settings', ['providers', channel]);
  if (userEnv === undefined || passwordEnv === undefined) return parsed;
  return {
    ...parsed,
    auth: {
      user: envCredentialOrValidationError(context, channel, 'userEnv', userEnv),
      pass: envCredentialOrValidationError(context, channel, 'passwordEnv', passwordEnv),
    },
  };
}
