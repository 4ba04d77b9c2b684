import { generateRequestDetails } from 'web-push';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-registry';
import { callProvider, isTransientStatus } from '../shared/provider-http';
import { readPushSubscription } from './push-subscription';
import { webpushConfig, type WebpushConfig } from './webpush.settings';

export const WEBPUSH_PROVIDER = 'webpush';

/**
 * Sends a notification (`{ title, body }`) to a browser through its push service; `to` is
 * the PushSubscription JSON the browser gave. The `web-push` library encrypts the payload
 * (aes128gcm) and signs the VAPID JWT; the request itself goes through `fetch`, like every
 * adapter's, for the same timeout and error handling. Push services report no delivery,
 * so a sent message stays `sent`; the provider id is the push service's message URL
 * (`Location`) when it gives one.
 */
export class WebpushProvider implements ChannelProvider {
  readonly name = WEBPUSH_PROVIDER;
  readonly capabilities = { idempotencyKey: false };

  constructor(private readonly config: WebpushConfig) {}

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
    // fetch computes Content-Length itself.
    const { 'Content-Length': _length, ...headers } = request.headers;
    const { status, location, text } = await this.post(request.endpoint, stringValues(headers), request.body);
    if (status >= 200 && status < 300) {
      return { outcome: 'accepted', status: 'sent', providerMessageId: location ?? `webpush:${message.messageId}` };
    }
    return { outcome: 'rejected', error: pushServiceRefusal(status, text) };
  }

  private async post(
    endpoint: string,
    headers: Record<string, string>,
    body: Buffer | null,
  ): Promise<{ status: number; location?: string; text: string }> {
    const answer = await callProvider('the push service', endpoint, { method: 'POST', headers, body }, this.config.timeoutMs);
    const location = answer.headers.get('location') ?? undefined;
    return { status: answer.status, ...(location && { location }), text: answer.text };
  }
}

/** A push service's refusal (RFC 8030): a gone subscription and other client errors are for good; throttling and server errors pass. */
function pushServiceRefusal(status: number, text: string): ProviderError {
  const said = text.trim() ? `: ${text.trim().slice(0, 200)}` : '';
  if (status === 404 || status === 410) {
    return new ProviderPermanentError(`the push subscription expired or was unsubscribed (HTTP ${status})${said}`);
  }
  if (isTransientStatus(status)) return new ProviderTransientError(`the push service failed (HTTP ${status})${said}`);
  return new ProviderPermanentError(`the push service refused the notification (HTTP ${status})${said}`);
}

function stringValues(headers: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
}

/** `providers.webpush: { provider: webpush, vapidPublicKeyEnv, vapidPrivateKeyEnv, subject, defaultTitle?, ttlSeconds?, timeoutMs? }`. */
export const webpushFactory: ProviderFactory = (settings, channel, context) =>
  new WebpushProvider(webpushConfig(settings, channel, context));
