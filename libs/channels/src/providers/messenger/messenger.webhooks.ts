import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { InboundReport, StatusReport, WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import { MAX_RAW_WIDGET_CODE_LENGTH } from '@nudge/channel-rules';
import type { MessengerReadLedger } from './messenger-read-ledger';
import type { MessengerConfig } from './messenger.settings';

const SIGNATURE_HEADER = 'x-hub-signature-256';

const pageNotification = z.object({
  object: z.literal('page'),
  entry: z.array(z.object({ messaging: z.array(z.unknown()).optional() })),
});

const messagingEvent = z.object({
  sender: z.object({ id: z.string() }),
  timestamp: z.number().optional(),
  message: z.object({ mid: z.string(), text: z.string().optional(), is_echo: z.boolean().optional() }).optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
  /** Marketing messages opt-in changes (`messaging_optins`, type `notification_messages`). */
  optin: z.object({ type: z.string().optional(), notification_messages_status: z.string().optional() }).optional(),
  /** `messaging_referrals`: an `m.me/<page>?ref=…` link opened in a thread that already exists. */
  referral: z.object({ ref: z.string().optional() }).optional(),
  /** `messaging_postbacks`: Get Started pressed in a new thread opened by an `m.me` link carries its referral. */
  postback: z.object({ referral: z.object({ ref: z.string().optional() }).optional() }).optional(),
});

/** Meta's marketing-messages statuses: the user stopped or resumed them in Messenger. */
const NOTIFICATION_STATUSES: Readonly<Record<string, boolean>> = { STOP_NOTIFICATIONS: true, RESUME_NOTIFICATIONS: false };
type MessagingEvent = z.infer<typeof messagingEvent>;

/**
 * Messenger's webhook: a GET handshake (`hub.verify_token` → `hub.challenge`) when it is
 * set up, then POSTs signed in `X-Hub-Signature-256` (`sha256=` hex HMAC of the raw body,
 * keyed by the app secret). `message` events are replies (echoes of our own sends are
 * skipped); `delivery.mids` are deliveries; `read` watermarks become reads through the
 * read ledger. A delivery carrying only a watermark (old clients) is not mapped. A
 * `notification_messages` opt-in whose status is STOP_NOTIFICATIONS is a channel-side opt-out
 * of the sender's page-scoped id; RESUME_NOTIFICATIONS lifts it. A referral's `ref` (an
 * `m.me/<page>?ref=<code>` link of a subscribe widget, as a referral event or with the Get
 * Started postback of a new thread) is a subscription of the sender with that code.
 */
export class MessengerWebhooks implements WebhookHandler {
  constructor(
    private readonly config: Pick<MessengerConfig, 'appSecret' | 'verifyToken' | 'channel'>,
    private readonly readLedger: MessengerReadLedger,
  ) {}

  handshake(request: WebhookRequest): string | null {
    const { 'hub.mode': mode, 'hub.verify_token': verifyToken, 'hub.challenge': challenge } = request.query;
    if (request.method !== 'GET' || mode !== 'subscribe' || verifyToken === undefined || !challenge) return null;
    return sameText(verifyToken, this.config.verifyToken) ? challenge : null;
  }

  verify(request: WebhookRequest): boolean {
    const given = request.headers[SIGNATURE_HEADER];
    if (given === undefined) return false;
    const expected = `sha256=${createHmac('sha256', this.config.appSecret).update(request.rawBody).digest('hex')}`;
    return sameText(given.toLowerCase(), expected);
  }

  parse(request: WebhookRequest): WebhookContent {
    const content: WebhookContent = { statuses: [], inbound: [] };
    const notification = pageNotification.safeParse(request.body);
    if (!notification.success) return content;
    for (const entry of notification.data.entry) {
      for (const raw of entry.messaging ?? []) {
        const event = messagingEvent.safeParse(raw);
        if (event.success) this.collect(event.data, content);
      }
    }
    return content;
  }

  private collect(event: MessagingEvent, content: WebhookContent): void {
    const { sender, timestamp, message, delivery, read, optin, referral, postback } = event;
    const ref = referral?.ref ?? postback?.referral?.ref;
    if (ref !== undefined && ref.length <= MAX_RAW_WIDGET_CODE_LENGTH) {
      const subscription = { channel: this.config.channel, from: sender.id, code: ref, event: 'messenger:referral' };
      (content.subscriptions ??= []).push(
        timestamp === undefined ? subscription : { ...subscription, at: new Date(timestamp).toISOString() },
      );
    }
    const stopped = optin?.type === 'notification_messages' ? NOTIFICATION_STATUSES[optin.notification_messages_status ?? ''] : undefined;
    if (stopped !== undefined) {
      const event = `messenger:${stopped ? 'stop_notifications' : 'resume_notifications'}`;
      const optOut = { channel: this.config.channel, from: sender.id, suppressed: stopped, event };
      (content.optOuts ??= []).push(timestamp === undefined ? optOut : { ...optOut, at: new Date(timestamp).toISOString() });
    }
    if (message?.text !== undefined && !message.is_echo) {
      const inbound: InboundReport = { channel: this.config.channel, from: sender.id, text: message.text, providerMessageId: message.mid };
      if (timestamp !== undefined) inbound.at = new Date(timestamp).toISOString();
      content.inbound.push(inbound);
    }
    if (delivery) {
      const at = new Date(timestamp ?? delivery.watermark).toISOString();
      for (const mid of delivery.mids ?? []) content.statuses.push({ providerMessageId: mid, status: 'delivered', at });
    }
    if (read) {
      const at = new Date(timestamp ?? read.watermark).toISOString();
      const reads = this.readLedger.readUpTo(sender.id, read.watermark);
      content.statuses.push(...reads.map((mid): StatusReport => ({ providerMessageId: mid, status: 'read', at })));
    }
  }
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
