import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { refuseLongBody } from '../shared/body-length';
import { withRetryAfter } from '../../retry-after';
import { callProvider, isTransientStatus, parseJson, unreadableAnswer } from '../shared/provider-http';
import { readMessageToken } from './viber-message-token';
import { viberRefusal } from './viber-status-codes';
import { viberConfig, type ViberConfig } from './viber.settings';
import { ViberWebhooks } from './viber.webhooks';

export const VIBER_PROVIDER = 'viber';

/** Viber takes text messages of up to 7000 characters. */
export const VIBER_MAX_LENGTH = 7000;

const sendAnswer = z.object({ status: z.number(), status_message: z.string().optional() });

/**
 * Sends text through the Viber REST Bot API (`/pa/send_message`); `to` is the subscriber's
 * Viber user id, `sender.name` the message's sender or else `senderName`. Viber answers
 * HTTP 200 with a `status` code (0 ok) and reports delivered, seen and failed through the
 * signed callback, keyed by `message_token`, the provider id.
 */
export class ViberProvider implements ChannelProvider {
  readonly name = VIBER_PROVIDER;
  readonly capabilities = { maxLength: VIBER_MAX_LENGTH, idempotencyKey: false };
  readonly webhooks: ViberWebhooks;

  constructor(private readonly config: ViberConfig) {
    this.webhooks = new ViberWebhooks(config);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const tooLong = refuseLongBody('Viber', message.body, VIBER_MAX_LENGTH);
    if (tooLong) return tooLong;
    const sender = { name: message.sender ?? this.config.senderName };
    const { status, text, retryAfterMs } = await this.post('/pa/send_message', {
      receiver: message.to,
      type: 'text',
      text: message.body,
      sender,
    });
    if (isTransientStatus(status)) {
      return { outcome: 'rejected', error: withRetryAfter(new ProviderTransientError(`Viber failed: HTTP ${status}`), retryAfterMs) };
    }
    const answer = sendAnswer.safeParse(parseJson(text));
    if (status !== 200 || !answer.success) return { outcome: 'rejected', error: unreadableAnswer('Viber', status) };
    if (answer.data.status !== 0) return { outcome: 'rejected', error: viberRefusal(answer.data.status, answer.data.status_message) };
    const messageToken = readMessageToken(text);
    if (!messageToken) {
      return { outcome: 'rejected', error: new ProviderPermanentError('Viber accepted the message without a message_token') };
    }
    return { outcome: 'accepted', status: 'sent', providerMessageId: messageToken };
  }

  private async post(path: string, payload: object): Promise<{ status: number; text: string; retryAfterMs: number | undefined }> {
    const { status, text, retryAfterMs } = await callProvider(
      'Viber',
      `${this.config.baseUrl}${path}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-viber-auth-token': this.config.token },
        body: JSON.stringify(payload),
      },
      this.config.timeoutMs,
    );
    return { status, text, retryAfterMs };
  }
}

/** `providers.viber: { provider: viber, tokenEnv, senderName, baseUrl?, timeoutMs? }`. */
export const viberFactory: ProviderFactory = (settings, channel, context) => new ViberProvider(viberConfig(settings, channel, context));
