import type { Channel } from '@nudge/contracts';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { parseRetryAfter, withRetryAfter } from '../../retry-after';
import { isTransientStatus, unansweredError } from '../shared/provider-http';
import { ScreenedHttpClient } from '../../address-screen/screened-http-client';
import type { Resolver } from '../../address-screen/screened-lookup';
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

/**
 * Channel `webhook`: posts each message to the customer's own system, signed with
 * X-Nudge-Signature (verify with `verifyNudgeSignature`). The recipient's address is the
 * URL to post to (when settings list `allowedHosts`, only to those hosts), or a key in the
 * customer's system posted to settings `url`. Either URL is screened after DNS resolution:
 * an internal address (loopback, private, link-local, metadata…) fails the message for good
 * without a request, unless an exact `allowedHosts` entry names the host. A 2xx answer
 * means the customer has it (`delivered`); 408, 429, 5xx and no answer in time are retried;
 * any other answer (4xx, a redirect, which is never followed) fails the message with what
 * the endpoint said.
 */
export class WebhookProvider implements ChannelProvider {
  readonly name = WEBHOOK_PROVIDER;
  /**
   * Every post carries `Idempotency-Key: <message id>` (one per send id, the same on every
   * attempt; also `messageId` in the payload): an endpoint that dedupes on it makes a retry
   * after a lost answer safe, so an `unknown` outcome is retried.
   */
  readonly capabilities = { idempotencyKey: true };
  private readonly http: ScreenedHttpClient;

  constructor(
    private readonly settings: WebhookSettings,
    channel: Channel = 'webhook',
    resolve?: Resolver,
  ) {
    const policy = { subject: 'webhook URL', allowedHostsSetting: `providers.${channel}.allowedHosts` };
    this.http = new ScreenedHttpClient({ ...policy, ...(settings.allowedHosts && { allowedHosts: settings.allowedHosts }) }, resolve);
  }

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
    const posted = await this.http.post({
      url: new URL(target),
      timeoutMs: this.settings.timeoutMs,
      headers: {
        'content-type': 'application/json',
        [NUDGE_SIGNATURE_HEADER]: nudgeSignature(this.settings.secret, rawBody),
        'X-Nudge-Timestamp': String(Math.floor(message.now.getTime() / 1000)),
        'Idempotency-Key': message.messageId,
      },
      body: rawBody,
    });
    switch (posted.outcome) {
      case 'refused':
        return { outcome: 'rejected', error: new ProviderPermanentError(`cannot post to "${target}": ${posted.reason}`) };
      case 'unreachable':
        return { outcome: 'rejected', error: unansweredError(target, posted, this.settings.timeoutMs) };
      case 'answered':
        if (posted.status >= 200 && posted.status < 300) {
          return { outcome: 'accepted', status: 'delivered', providerMessageId: message.messageId };
        }
        return {
          outcome: 'rejected',
          error: withRetryAfter(failureOf(target, posted.status, posted.text), parseRetryAfter(posted.headers['retry-after'], message.now)),
        };
    }
  }
}

export const createWebhookProvider: ProviderFactory = (settings, channel, context) =>
  new WebhookProvider(parseWebhookSettings(settings, channel, context), channel);

function failureOf(target: string, status: number, answer: string): ProviderError {
  const redirect = status >= 300 && status < 400 ? ', a redirect, which is not followed' : '';
  const reason = `${target} answered ${status}${redirect}${answer ? `: ${answer}` : ''}`;
  const retryable = status === 408 || isTransientStatus(status);
  return retryable ? new ProviderTransientError(reason) : new ProviderPermanentError(reason);
}
