import { channelSchema, type Channel } from '@nudge/contracts';
import { z } from 'zod';

/** The system campaign id of double opt-in confirmations (decisions, messages, send ids). */
export const DOUBLE_OPT_IN_CAMPAIGN = 'double-opt-in';

/** The Liquid variable of the signed link that confirms a double opt-in (dispatch renders it). */
export const CONFIRM_URL_VARIABLE = 'confirm_url';

/**
 * Channels a recipient cannot answer YES on: their confirmation must carry `{{ confirm_url }}`,
 * or nothing could ever confirm it.
 */
export const CHANNELS_WITHOUT_REPLIES: readonly Channel[] = ['email', 'push', 'webpush', 'inapp', 'webhook'];

const CONFIRM_URL = /\{\{-?\s*confirm_url\s*-?\}\}/;

/** The confirmation message of one channel: a Liquid body (profile in scope), and a subject for e-mail. */
export const doubleOptInMessageSchema = z
  .object({
    body: z.string().trim().min(1, 'must not be empty').max(2_000),
    subject: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    sender: z.string().trim().min(1, 'must not be empty').max(100).optional(),
  })
  .strict();

/**
 * Double opt-in per channel (issue #12 item 4): the confirmation a `"pending"` marketing consent
 * gets on that channel. A channel not listed sends none (its pending consent still blocks
 * marketing until the API sets it). E-mail needs a subject; a channel without replies needs
 * `{{ confirm_url }}` in its body.
 */
export const doubleOptInSchema = z.record(channelSchema, doubleOptInMessageSchema).superRefine((byChannel, context) => {
  for (const [channel, message] of Object.entries(byChannel) as [Channel, DoubleOptInMessage | undefined][]) {
    if (message === undefined) continue;
    if (CHANNELS_WITHOUT_REPLIES.includes(channel) && !CONFIRM_URL.test(message.body)) {
      const issue = `must contain {{ confirm_url }}: a recipient cannot reply YES on ${channel}`;
      context.addIssue({ code: z.ZodIssueCode.custom, path: [channel, 'body'], message: issue });
    }
    if (channel === 'email' && message.subject === undefined) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: [channel, 'subject'], message: 'is required for e-mail' });
    }
  }
});

export type DoubleOptInMessage = z.infer<typeof doubleOptInMessageSchema>;
export type DoubleOptInSettings = z.infer<typeof doubleOptInSchema>;
