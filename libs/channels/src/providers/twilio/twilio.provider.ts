import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import type { ProviderFactory } from '../../provider-factory';
import { withRetryAfter } from '../../retry-after';
import { refuseLongBody } from '../shared/body-length';
import { callProvider, parseJson } from '../shared/provider-http';
import { TWILIO_PROVIDER, twilioConfig, type TwilioConfig } from './twilio.settings';
import { RCS_CALLBACK_QUERY, TwilioWebhooks } from './twilio.webhooks';

/** Twilio takes message bodies of up to 1600 characters. */
export const TWILIO_MAX_LENGTH = 1600;

const createdAnswer = z.object({ sid: z.string().min(1) });
const errorAnswer = z.object({ code: z.number(), message: z.string() });

/**
 * Sends SMS and RCS through Twilio's Messages resource
 * (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, basic auth).
 *
 * SMS goes `From` the message's sender, else `from`, else through the Messaging Service.
 * RCS always goes through the Messaging Service, which holds the RCS sender and falls back
 * to SMS by itself; the message's sender then becomes `FallbackFrom`, the SMS sender of that
 * fallback. Twilio has no idempotency key for Messages: a retry after a lost answer may send twice.
 */
export class TwilioProvider implements ChannelProvider {
  readonly name = TWILIO_PROVIDER;
  readonly capabilities = { maxLength: TWILIO_MAX_LENGTH, idempotencyKey: false };
  readonly webhooks: TwilioWebhooks;

  constructor(private readonly config: TwilioConfig) {
    this.webhooks = new TwilioWebhooks(config);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const tooLong = refuseLongBody('Twilio', message.body, TWILIO_MAX_LENGTH);
    if (tooLong) return tooLong;
    const senderFields = this.senderFields(message);
    if (!senderFields) {
      const reason = `no sender for Twilio: set providers.${this.config.channel}.from or messagingServiceSid, or the campaign's message.sender`;
      return { outcome: 'rejected', error: new ProviderPermanentError(reason) };
    }
    const statusCallback = `${this.config.publicUrl}/v1/providers/${TWILIO_PROVIDER}/status${message.channel === 'rcs' ? RCS_CALLBACK_QUERY : ''}`;
    const form = new URLSearchParams({ To: message.to, ...senderFields, Body: message.body, StatusCallback: statusCallback });
    const { status, body, retryAfterMs } = await this.post(
      `/2010-04-01/Accounts/${encodeURIComponent(this.config.accountSid)}/Messages.json`,
      form,
    );
    const created = createdAnswer.safeParse(body);
    if (status >= 200 && status < 300 && created.success)
      return { outcome: 'accepted', status: 'sent', providerMessageId: created.data.sid };
    return { outcome: 'rejected', error: withRetryAfter(twilioRefusal(status, body), retryAfterMs) };
  }

  private senderFields(message: OutboundMessage): Record<string, string> | undefined {
    const { from, messagingServiceSid } = this.config;
    if (message.channel === 'rcs' && messagingServiceSid) {
      return { MessagingServiceSid: messagingServiceSid, ...(message.sender && { FallbackFrom: message.sender }) };
    }
    const sender = message.sender ?? from;
    if (sender) return { From: sender };
    return messagingServiceSid ? { MessagingServiceSid: messagingServiceSid } : undefined;
  }

  private async post(path: string, form: URLSearchParams): Promise<{ status: number; body: unknown; retryAfterMs: number | undefined }> {
    const credentials = Buffer.from(`${this.config.accountSid}:${this.config.authToken}`).toString('base64');
    const { status, text, retryAfterMs } = await callProvider(
      'Twilio',
      `${this.config.baseUrl}${path}`,
      {
        method: 'POST',
        headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      this.config.timeoutMs,
    );
    return { status, body: parseJson(text), retryAfterMs };
  }
}

/** Twilio's own `message` and `code`: throttling (429) and server errors pass; every other refusal (bad number, auth, content) is for good. */
function twilioRefusal(status: number, body: unknown): ProviderError {
  const refused = errorAnswer.safeParse(body);
  const description = refused.success ? `${refused.data.message} (code ${refused.data.code})` : `HTTP ${status} with an unreadable body`;
  if (status === 429) return new ProviderTransientError(`Twilio is throttling: ${description}`);
  if (status >= 500) return new ProviderTransientError(`Twilio failed: ${description}`);
  if (status >= 200 && status < 300) return new ProviderPermanentError(`Twilio accepted the message without a sid (HTTP ${status})`);
  return new ProviderPermanentError(`Twilio refused the message: ${description}`);
}

/** `providers.<sms|rcs>: { provider: twilio, accountSidEnv, authTokenEnv, from?, messagingServiceSid?, baseUrl?, timeoutMs? }`. */
export const twilioFactory: ProviderFactory = (settings, channel, context) => new TwilioProvider(twilioConfig(settings, channel, context));
