import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ChannelSubscription, InboundReport, StatusReport, WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import { widgetCodeIn } from '@nudge/channel-rules';
import type { WhatsAppCloudConfig } from './whatsapp-cloud.settings';

const SIGNATURE_HEADER = 'x-hub-signature-256';

const statusUpdate = z.object({
  id: z.string(),
  status: z.string(),
  timestamp: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
const incomingMessage = z.object({
  from: z.string(),
  id: z.string(),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string() }).optional(),
});
const notification = z.object({
  entry: z.array(
    z.object({
      changes: z.array(
        z.object({
          value: z.object({ statuses: z.array(z.unknown()).optional(), messages: z.array(z.unknown()).optional() }).passthrough(),
        }),
      ),
    }),
  ),
});

/** The Cloud API's message statuses and the status each one reports. */
const STATUSES: Readonly<Record<string, StatusReport['status']>> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/**
 * WhatsApp Cloud API webhooks. Meta checks the endpoint with a GET handshake
 * (`hub.mode=subscribe`, `hub.verify_token`, answered with `hub.challenge`) and signs every
 * notification in `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by
 * the app secret>`. A notification holds `entry[].changes[].value` with `statuses[]` (our
 * messages: sent, delivered, read, failed with `errors`) and `messages[]` (what users wrote:
 * text, and the text of a template's quick-reply button, such as a STOP button). A text that
 * carries a subscribe widget's code is a subscription instead of a reply.
 */
export class WhatsAppCloudWebhooks implements WebhookHandler {
  constructor(private readonly config: Pick<WhatsAppCloudConfig, 'appSecret' | 'verifyToken'>) {}

  handshake(request: WebhookRequest): string | null {
    const { verifyToken } = this.config;
    const challenge = request.query['hub.challenge'];
    if (!verifyToken || request.query['hub.mode'] !== 'subscribe' || challenge === undefined) return null;
    return sameSecret(request.query['hub.verify_token'], verifyToken) ? challenge : null;
  }

  verify(request: WebhookRequest): boolean {
    const { appSecret } = this.config;
    const given = /^sha256=([0-9a-f]{64})$/i.exec(request.headers[SIGNATURE_HEADER] ?? '')?.[1];
    if (!appSecret || !given) return false;
    const expected = createHmac('sha256', appSecret).update(request.rawBody).digest();
    return timingSafeEqual(Buffer.from(given, 'hex'), expected);
  }

  parse(request: WebhookRequest): WebhookContent {
    const parsed = notification.safeParse(parseJson(request.rawBody.toString('utf8')));
    if (!parsed.success) return { statuses: [], inbound: [] };
    const values = parsed.data.entry.flatMap((entry) => entry.changes.map((change) => change.value));
    const messages = values.flatMap((value) => (value.messages ?? []).flatMap(inboundReport));
    const subscriptions = messages.flatMap(subscriptionIn);
    const content: WebhookContent = {
      statuses: values.flatMap((value) => (value.statuses ?? []).flatMap(statusReport)),
      inbound: messages.filter((message) => widgetCodeIn(message.text) === undefined),
    };
    return subscriptions.length > 0 ? { ...content, subscriptions } : content;
  }
}

function statusReport(raw: unknown): StatusReport[] {
  const update = statusUpdate.safeParse(raw);
  const status = update.success ? STATUSES[update.data.status] : undefined;
  if (!update.success || !status) return [];
  const { id, timestamp, errors } = update.data;
  const at = secondsToIso(timestamp);
  const reason = status === 'failed' ? failureReason(errors?.[0]) : undefined;
  return [{ providerMessageId: id, status, ...(at && { at }), ...(reason && { reason }) }];
}

function inboundReport(raw: unknown): InboundReport[] {
  const message = incomingMessage.safeParse(raw);
  if (!message.success) return [];
  const { from, id, timestamp, text, button } = message.data;
  const body = text?.body ?? button?.text;
  if (body === undefined) return [];
  const at = secondsToIso(timestamp);
  return [{ channel: 'whatsapp', from, text: body, ...(at && { at }), providerMessageId: id }];
}

/**
 * A text carrying a subscribe widget's code (`… K3P9-ZQ4M-7TXW-2HRB`, as the widget's
 * `wa.me/<number>?text=…` link prefills it) is a subscription of the sender's number, not a reply.
 */
function subscriptionIn(message: InboundReport): ChannelSubscription[] {
  const code = widgetCodeIn(message.text);
  if (code === undefined) return [];
  return [{ channel: 'whatsapp', from: message.from, code, event: 'whatsapp:code', ...(message.at && { at: message.at }) }];
}

function failureReason(error: { code: number; title?: string; message?: string; error_data?: { details?: string } } | undefined): string {
  if (!error) return 'WhatsApp reported failed';
  const details = error.error_data?.details ? `: ${error.error_data.details}` : '';
  return `${error.title ?? error.message ?? 'failed'} (code ${error.code})${details}`;
}

function secondsToIso(seconds: string | undefined): string | undefined {
  const value = Number(seconds);
  return seconds && Number.isFinite(value) && value > 0 ? new Date(value * 1000).toISOString() : undefined;
}

/** Constant-time comparison of a given secret with ours, whatever its length. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
