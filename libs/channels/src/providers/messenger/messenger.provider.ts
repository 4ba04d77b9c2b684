import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { refuseLongBody } from '../shared/body-length';
import { withRetryAfter } from '../../retry-after';
import { callProvider, isTransientStatus, parseJson, unreadableAnswer } from '../shared/provider-http';
import { MessengerReadLedger } from './messenger-read-ledger';
import { MESSENGER_WINDOW_HOURS, messengerSendPolicy } from './messenger-window';
import { messengerConfig, type MessengerConfig } from './messenger.settings';
import { MessengerWebhooks } from './messenger.webhooks';

export const MESSENGER_PROVIDER = 'messenger';

/** The Send API takes text of up to 2000 characters. */
export const MESSENGER_MAX_LENGTH = 2000;

/** Graph API error codes that mean "not now": unknown/service errors and the rate limits. */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613]);

const sentAnswer = z.object({ recipient_id: z.string(), message_id: z.string() });
const errorAnswer = z.object({
  error: z.object({
    message: z.string(),
    code: z.number(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
  }),
});

/**
 * Sends text through the Messenger Send API (`/me/messages`); `to` is the user's
 * page-scoped id. The 24 h standard messaging window decides the `messaging_type`
 * (see messengerSendPolicy). Deliveries and reads come back through the webhook.
 */
export class MessengerProvider implements ChannelProvider {
  readonly name = MESSENGER_PROVIDER;
  readonly capabilities = { maxLength: MESSENGER_MAX_LENGTH, idempotencyKey: false, sessionWindowHours: MESSENGER_WINDOW_HOURS };
  readonly webhooks: MessengerWebhooks;
  private readonly readLedger = new MessengerReadLedger();

  constructor(private readonly config: MessengerConfig) {
    this.webhooks = new MessengerWebhooks(config, this.readLedger);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const tooLong = refuseLongBody('Messenger', message.body, MESSENGER_MAX_LENGTH);
    if (tooLong) return tooLong;
    const policy = messengerSendPolicy(message);
    if (policy.outcome === 'refused') return { outcome: 'rejected', error: new ProviderPermanentError(policy.reason) };
    const { status, body, retryAfterMs } = await this.post({
      recipient: { id: message.to },
      messaging_type: policy.messagingType,
      ...('tag' in policy && { tag: policy.tag }),
      message: { text: message.body },
    });
    const sent = sentAnswer.safeParse(body);
    if (status === 200 && sent.success) {
      this.readLedger.remember(sent.data.message_id, message.to, message.now);
      return { outcome: 'accepted', status: 'sent', providerMessageId: sent.data.message_id };
    }
    return { outcome: 'rejected', error: withRetryAfter(messengerRefusal(status, body), retryAfterMs) };
  }

  private async post(payload: object): Promise<{ status: number; body: unknown; retryAfterMs: number | undefined }> {
    // The URL carries the Page token: it never goes into an error message.
    const url = `${this.config.baseUrl}/${this.config.apiVersion}/me/messages?access_token=${encodeURIComponent(this.config.pageToken)}`;
    const { status, text, retryAfterMs } = await callProvider(
      'Messenger',
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
      this.config.timeoutMs,
    );
    return { status, body: parseJson(text), retryAfterMs };
  }
}

/** A Graph API error: rate limits, service errors and what Facebook marks `is_transient` pass; the rest are for good. */
function messengerRefusal(status: number, body: unknown): ProviderError {
  const refused = errorAnswer.safeParse(body);
  if (!refused.success) return unreadableAnswer('Messenger', status);
  const { message, code, error_subcode, is_transient } = refused.data.error;
  const codes = error_subcode === undefined ? `code ${code}` : `code ${code}, subcode ${error_subcode}`;
  if (isTransientStatus(status) || TRANSIENT_CODES.has(code) || is_transient === true) {
    return new ProviderTransientError(`Messenger failed: ${message} (${codes})`);
  }
  return new ProviderPermanentError(`Messenger refused the message: ${message} (${codes})`);
}

/** `providers.messenger: { provider: messenger, pageTokenEnv, appSecretEnv, verifyTokenEnv, apiVersion?, baseUrl?, timeoutMs? }`. */
export const messengerFactory: ProviderFactory = (settings, channel, context) =>
  new MessengerProvider(messengerConfig(settings, channel, context));
