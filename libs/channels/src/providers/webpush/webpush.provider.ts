import { generateRequestDetails } from 'web-push';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { ScreenedHttpClient, type ScreenedOutcome } from '../../address-screen/screened-http-client';
import type { Resolver } from '../../address-screen/screened-lookup';
import { isAllowedTarget } from '../../address-screen/allowed-hosts';
import { parseRetryAfter, withRetryAfter } from '../../retry-after';
import { isTransientStatus, unansweredError } from '../shared/provider-http';
import { readPushSubscription } from './push-subscription';
import { webpushConfig, type WebpushConfig } from './webpush.settings';

export const WEBPUSH_PROVIDER = 'webpush';

/**
 * Sends a notification (`{ title, body }`) to a browser through its push service; `to` is
 * the PushSubscription JSON the browser gave. The `web-push` library encrypts the payload
 * (aes128gcm) and signs the VAPID JWT; the request itself goes through a ScreenedHttpClient:
 * the endpoint comes from app data, so it must be on `allowedHosts` when settings give that
 * list, and may not resolve to an internal address (loopback, private, metadata…) unless an
 * exact `allowedHosts` entry names its host; such a message fails for good without a
 * request. A redirect is never followed (a permanent refusal). Push services report no delivery,
 * so a sent message stays `sent`; the provider id is the push service's message URL
 * (`Location`) when it gives one.
 */
export class WebpushProvider implements ChannelProvider {
  readonly name = WEBPUSH_PROVIDER;
  readonly capabilities = { idempotencyKey: false };

  private readonly http: ScreenedHttpClient;

  constructor(
    private readonly config: WebpushConfig,
    resolve?: Resolver,
  ) {
    const policy = { subject: 'push endpoint', allowedHostsSetting: `providers.${config.channel}.allowedHosts` };
    this.http = new ScreenedHttpClient({ ...policy, ...(config.allowedHosts && { allowedHosts: config.allowedHosts }) }, resolve);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const reading = readPushSubscription(message.to);
    if (reading.outcome === 'invalid') return { outcome: 'rejected', error: new ProviderPermanentError(reading.reason) };
    const title = message.subject ?? this.config.defaultTitle;
    const payload = JSON.stringify({ ...(title !== undefined && { title }), body: message.body });
    let request: ReturnType<typeof generateRequestDetails>;
    try {
      request = generateRequestDetails(reading.subscription, payload, {
        vapidDetails: { subject: this.config.subject, publicKey: this.config.vapidPublicKey, privateKey: this.config.vapidPrivateKey },
        TTL: this.config.ttlSeconds,
        contentEncoding: 'aes128gcm',
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { outcome: 'rejected', error: new ProviderPermanentError(`the push subscription's keys are not usable: ${reason}`) };
    }
    const endpoint = new URL(reading.subscription.endpoint);
    if (!isAllowedTarget(endpoint, this.config.allowedHosts))
      return { outcome: 'rejected', error: unlisted(endpoint, this.config.allowedHosts) };
    // The client computes Content-Length itself.
    const { 'Content-Length': _length, ...headers } = request.headers;
    const posted = await this.http.post({
      url: endpoint,
      headers: stringValues(headers),
      body: request.body ?? '',
      timeoutMs: this.config.timeoutMs,
    });
    return this.resultOf(posted, message.messageId);
  }

  private resultOf(posted: ScreenedOutcome, messageId: string): SendResult {
    switch (posted.outcome) {
      case 'refused':
        return { outcome: 'rejected', error: new ProviderPermanentError(posted.reason) };
      case 'unreachable':
        return { outcome: 'rejected', error: unansweredError('the push service', posted, this.config.timeoutMs) };
      case 'answered': {
        if (posted.status < 200 || posted.status >= 300)
          return {
            outcome: 'rejected',
            error: withRetryAfter(
              pushServiceRefusal(posted.status, posted.text),
              parseRetryAfter(posted.headers['retry-after'], new Date()),
            ),
          };
        const location = typeof posted.headers.location === 'string' ? posted.headers.location : undefined;
        return { outcome: 'accepted', status: 'sent', providerMessageId: location || `webpush:${messageId}` };
      }
    }
  }
}

function unlisted(endpoint: URL, allowedHosts: readonly string[] | undefined): ProviderError {
  return new ProviderPermanentError(
    `the push endpoint's host ${endpoint.host} is not in allowedHosts (${(allowedHosts ?? []).join(', ')})`,
  );
}

/** A push service's refusal (RFC 8030): a gone subscription and other client errors are for good; throttling and server errors pass. */
function pushServiceRefusal(status: number, text: string): ProviderError {
  const said = text.trim() ? `: ${text.trim()}` : '';
  if (status === 404 || status === 410) {
    return new ProviderPermanentError(`the push subscription expired or was unsubscribed (HTTP ${status})${said}`);
  }
  if (isTransientStatus(status)) return new ProviderTransientError(`the push service failed (HTTP ${status})${said}`);
  if (status >= 300 && status < 400) {
    return new ProviderPermanentError(`the push service answered a redirect (HTTP ${status}), which is not followed${said}`);
  }
  return new ProviderPermanentError(`the push service refused the notification (HTTP ${status})${said}`);
}

function stringValues(headers: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
}

/** `providers.webpush: { provider: webpush, vapidPublicKeyEnv, vapidPrivateKeyEnv, subject, defaultTitle?, ttlSeconds?, timeoutMs? }`. */
export const webpushFactory: ProviderFactory = (settings, channel, context) =>
  new WebpushProvider(webpushConfig(settings, channel, context));
