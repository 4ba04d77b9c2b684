import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-registry';
import { isTimeoutError, isTransientStatus } from '../shared/provider-http';
import { NUDGE_SIGNATURE_HEADER, nudgeSignature } from './nudge-signature';
import { isAllowedTarget, parseWebhookSettings, type WebhookSettings } from './webhook-settings';

export const WEBHOOK_PROVIDER = 'webhook';

/** What the customer's endpoint receives, as JSON. */
export interface WebhookPayload {
  messageId: string;
  campaignId: string;
  channel: string;
  to: string;
  body: string;
  sentAt: string;
}

/** The most of an error answer kept as the failure reason. */
const MAX_REASON_CHARS = 500;

/**
 * Channel `webhook`: posts each message to the customer's own system, signed with
 * X-Nudge-Signature (verify with `verifyNudgeSignature`). The recipient's address is the
 * URL to post to (when settings list `allowedHosts`, only to those hosts), or a key in the
 * customer's system posted to settings `url`. A 2xx answer
 * means the customer has it (`delivered`); 408, 429, 5xx and no answer in time are retried;
 * any other answer (4xx, a redirect) fails the message with what the endpoint said.
 */
export class WebhookProvider implements ChannelProvider {
  readonly name = WEBHOOK_PROVIDER;
  /** The payload carries our message id for the customer to dedupe on; nothing enforces that they do. */
  readonly capabilities = { idempotencyKey: false };

  constructor(private readonly settings: WebhookSettings) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    const ownUrl = /^https?:\/\//i.test(message.to);
    const target = ownUrl ? message.to : this.settings.url;
    if (!target || !URL.canParse(target)) {
      const why = target ? 'it is not a valid URL' : 'it is no URL and settings give no url';
      return { outcome: 'rejected', error: new ProviderPermanentError(`cannot post to "${message.to}": ${why}`) };
    }
    if (ownUrl && !isAllowedTarget(new URL(target), this.settings.allowedHosts)) {
      const hosts = (this.settings.allowedHosts ?? []).join(', ');
      return {
        outcome: 'rejected',
        error: new ProviderPermanentError(`cannot post to "${target}": its host is not in allowedHosts (${hosts})`),
      };
    }
    const payload: WebhookPayload = {
      messageId: message.messageId,
      campaignId: message.campaignId,
      channel: message.channel,
      to: message.to,
      body: message.body,
      sentAt: message.now.toISOString(),
    };
    const rawBody = JSON.stringify(payload);
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        headers: {
          'content-type': 'application/json',
          [NUDGE_SIGNATURE_HEADER]: nudgeSignature(this.settings.secret, rawBody),
          'X-Nudge-Timestamp': String(Math.floor(message.now.getTime() / 1000)),
        },
        body: rawBody,
      });
    } catch (error) {
      return {
        outcome: 'rejected',
        error: new ProviderTransientError(`${target} did not answer: ${unreachableReason(error, this.settings.timeoutMs)}`),
      };
    }
    const answer = await response.text().catch(() => '');
    if (response.ok) return { outcome: 'accepted', status: 'delivered', providerMessageId: message.messageId };
    return { outcome: 'rejected', error: failureOf(target, response.status, answer) };
  }
}

export const createWebhookProvider: ProviderFactory = (settings, channel, context) =>
  new WebhookProvider(parseWebhookSettings(settings, channel, context));

function failureOf(target: string, status: number, answer: string): ProviderError {
  const reason = `${target} answered ${status}${answer ? `: ${answer.slice(0, MAX_REASON_CHARS)}` : ''}`;
  const retryable = status === 408 || isTransientStatus(status);
  return retryable ? new ProviderTransientError(reason) : new ProviderPermanentError(reason);
}

/**
 * Why fetch got no answer, in this adapter's own words (the customer's endpoint is no
 * provider API, so not callProvider's). Its errors may come from another realm (test VMs),
 * so they are read by shape, no instanceof.
 */
function unreachableReason(error: unknown, timeoutMs: number): string {
  if (isTimeoutError(error)) return `no answer within ${timeoutMs} ms`;
  const { message, cause } = (error ?? {}) as { message?: string; cause?: { code?: string; message?: string } };
  return cause?.message || cause?.code || message || String(error);
}
