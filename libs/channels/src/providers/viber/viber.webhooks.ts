import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { StatusReport, WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import { MAX_RAW_WIDGET_CODE_LENGTH } from '@nudge/channel-rules';
import { readMessageToken } from './viber-message-token';
import type { ViberConfig } from './viber.settings';

const SIGNATURE_HEADER = 'x-viber-content-signature';

const callback = z.object({
  event: z.string(),
  timestamp: z.number().optional(),
  desc: z.string().optional(),
  sender: z.object({ id: z.string() }).optional(),
  /** `unsubscribed` names the user here, `subscribed` in `user`. */
  user_id: z.string().optional(),
  user: z.object({ id: z.string() }).optional(),
  message: z.object({ type: z.string(), text: z.string().optional() }).optional(),
  /** `conversation_started`: the `context` of the `viber://pa?chatURI=…&context=…` link that opened the chat. */
  context: z.string().optional(),
});

/** Viber's receipt events and the status each one reports. */
const RECEIPTS: Readonly<Record<string, StatusReport['status']>> = { delivered: 'delivered', seen: 'read', failed: 'failed' };

/**
 * Viber's callbacks, signed in `X-Viber-Content-Signature` with the hex HMAC-SHA256 of the
 * raw body keyed by the bot token. `delivered`, `seen` (read) and `failed` report on our
 * messages by `message_token`; a text `message` is a reply. `unsubscribed` (the user left the
 * account) is a channel-side opt-out of their id, `subscribed` lifts it; `conversation_started`
 * with a `context` (a subscribe widget's deep link opened) is a subscription of the user with
 * that code; without one, and `webhook` (set-up check), it carries nothing for us.
 */
export class ViberWebhooks implements WebhookHandler {
  constructor(private readonly config: Pick<ViberConfig, 'token' | 'channel'>) {}

  verify(request: WebhookRequest): boolean {
    const given = request.headers[SIGNATURE_HEADER];
    if (given === undefined) return false;
    const expected = Buffer.from(createHmac('sha256', this.config.token).update(request.rawBody).digest('hex'));
    const actual = Buffer.from(given.toLowerCase());
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  parse(request: WebhookRequest): WebhookContent {
    const raw = request.rawBody.toString('utf8');
    const parsed = callback.safeParse(parseJson(raw));
    if (!parsed.success) return { statuses: [], inbound: [] };
    const { event, timestamp, desc, sender, message, user_id, user, context } = parsed.data;
    const providerMessageId = readMessageToken(raw);
    const at = timestamp === undefined ? undefined : new Date(timestamp).toISOString();
    const status = RECEIPTS[event];
    if (status && providerMessageId) {
      return { statuses: [{ providerMessageId, status, ...(at && { at }), ...(desc && { reason: desc }) }], inbound: [] };
    }
    if (event === 'message' && sender && message?.type === 'text' && message.text !== undefined) {
      const inbound = {
        channel: this.config.channel,
        from: sender.id,
        text: message.text,
        ...(at && { at }),
        ...(providerMessageId && { providerMessageId }),
      };
      return { statuses: [], inbound: [inbound] };
    }
    if (event === 'conversation_started' && user && context && context.length <= MAX_RAW_WIDGET_CODE_LENGTH) {
      const subscription = { channel: this.config.channel, from: user.id, code: context, event: `viber:${event}`, ...(at && { at }) };
      return { statuses: [], inbound: [], subscriptions: [subscription] };
    }
    const member = event === 'unsubscribed' ? user_id : event === 'subscribed' ? user?.id : undefined;
    if (member !== undefined) {
      const optOut = {
        channel: this.config.channel,
        from: member,
        suppressed: event === 'unsubscribed',
        event: `viber:${event}`,
        ...(at && { at }),
      };
      return { statuses: [], inbound: [], optOuts: [optOut] };
    }
    return { statuses: [], inbound: [] };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
