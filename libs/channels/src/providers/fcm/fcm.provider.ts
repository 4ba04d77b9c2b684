import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderTransientError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { withRetryAfter } from '../../retry-after';
import { callProvider, parseJson } from '../shared/provider-http';
import { fcmRefusal } from './fcm-errors';
import { fcmConfig, type FcmConfig } from './fcm.settings';
import { GoogleAccessToken } from './google-access-token';

export const FCM_PROVIDER = 'fcm';

const sentAnswer = z.object({ name: z.string() });

/**
 * Sends a notification through Firebase Cloud Messaging's HTTP v1 API; `to` is the
 * device's registration token, the title the message's subject or else `defaultTitle`.
 * FCM reports no delivery to the sender, so a sent message stays `sent`. The provider id
 * is FCM's message name (`projects/<project>/messages/<id>`).
 */
export class FcmProvider implements ChannelProvider {
  readonly name = FCM_PROVIDER;
  readonly capabilities = { idempotencyKey: false };
  private readonly accessToken: GoogleAccessToken;

  constructor(
    private readonly config: FcmConfig,
    now: () => number = Date.now,
  ) {
    this.accessToken = new GoogleAccessToken(config.serviceAccount, config.timeoutMs, now);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const title = message.subject ?? this.config.defaultTitle;
    const notification = { ...(title !== undefined && { title }), body: message.body };
    const bearer = await this.accessToken.get();
    const { status, body, retryAfterMs } = await this.post(bearer, { message: { token: message.to, notification } });
    const sent = sentAnswer.safeParse(body);
    if (status === 200 && sent.success) return { outcome: 'accepted', status: 'sent', providerMessageId: sent.data.name };
    if (status === 401) {
      this.accessToken.forget();
      return {
        outcome: 'rejected',
        error: new ProviderTransientError('FCM refused the access token (UNAUTHENTICATED); the retry asks Google for a new one'),
      };
    }
    return { outcome: 'rejected', error: withRetryAfter(fcmRefusal(status, body), retryAfterMs) };
  }

  private async post(bearer: string, payload: object): Promise<{ status: number; body: unknown; retryAfterMs: number | undefined }> {
    const url = `${this.config.baseUrl}/v1/projects/${encodeURIComponent(this.config.projectId)}/messages:send`;
    const { status, text, retryAfterMs } = await callProvider(
      'FCM',
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(payload) },
      this.config.timeoutMs,
    );
    return { status, body: parseJson(text), retryAfterMs };
  }
}

/** `providers.push: { provider: fcm, serviceAccountEnv, projectId?, defaultTitle?, baseUrl?, timeoutMs? }`. */
export const fcmFactory: ProviderFactory = (settings, channel, context) => new FcmProvider(fcmConfig(settings, channel, context));
