import type { Channel } from '@nudge/contracts';
import { z } from 'zod';
import type { ProviderContext, ProviderSettings } from '../../provider-factory';
import { envCredential, parseProviderSettings } from '../shared/provider-settings';

export const TWILIO_PROVIDER = 'twilio';
export const TWILIO_API = 'https://api.twilio.com';

export const twilioSettingsSchema = z.object({
  accountSidEnv: z.string({ required_error: 'must name the environment variable holding the Twilio Account SID' }).min(1),
  authTokenEnv: z.string({ required_error: 'must name the environment variable holding the Twilio Auth Token' }).min(1),
  from: z.string().min(1).optional(),
  messagingServiceSid: z.string().min(1).optional(),
  baseUrl: z.string().url().default(TWILIO_API),
  timeoutMs: z.number().int().positive().default(10_000),
});

/** What the Twilio adapter runs with: its settings, and the credentials they name read from the environment. */
export interface TwilioConfig {
  channel: Channel;
  accountSid: string;
  /** The password of HTTP basic auth, and the key Twilio signs its callbacks with. */
  authToken: string;
  /** `From` when the message names no sender. */
  from?: string;
  /** The Messaging Service that sends when there is no `From`; the only way to send RCS. */
  messagingServiceSid?: string;
  baseUrl: string;
  timeoutMs: number;
  /** Base of our public URL, for `StatusCallback`. */
  publicUrl: string;
}

/**
 * Reads `providers.<channel>` for Twilio; a bad setting or a missing credential names the
 * setting and the variable. RCS needs a Messaging Service (Twilio picks the RCS sender from
 * its sender pool); SMS may go without `from`, then each campaign must give a sender.
 */
export function twilioConfig(settings: ProviderSettings, channel: Channel, context: ProviderContext): TwilioConfig {
  const { accountSidEnv, authTokenEnv, from, messagingServiceSid, baseUrl, timeoutMs } = parseProviderSettings(
    twilioSettingsSchema,
    settings,
    channel,
  );
  if (channel === 'rcs' && !messagingServiceSid) {
    throw new Error(`providers.rcs.messagingServiceSid: Twilio sends RCS through a Messaging Service with an RCS sender; give its SID`);
  }
  const accountSid = envCredential(context, channel, 'accountSidEnv', accountSidEnv);
  const authToken = envCredential(context, channel, 'authTokenEnv', authTokenEnv);
  return {
    channel,
    accountSid,
    authToken,
    ...(from && { from }),
    ...(messagingServiceSid && { messagingServiceSid }),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    timeoutMs,
    publicUrl: context.publicUrl.replace(/\/+$/, ''),
  };
}
