import { z } from 'zod';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import type { ProviderFactory } from '../../provider-factory';
import { withRetryAfter } from '../../retry-after';
import { callProvider, parseJson } from '../shared/provider-http';
import { SMSAPI_DUPLICATE_IDX, smsapiRefusal } from './smsapi-error-codes';
import { SMSAPI_PROVIDER, smsapiConfig, type SmsapiConfig } from './smsapi.settings';
import { SmsapiWebhooks } from './smsapi.webhooks';

const sentAnswer = z.object({ count: z.number().min(1), list: z.array(z.object({ id: z.string() })).min(1) });
const errorAnswer = z.object({ error: z.union([z.number(), z.string()]), message: z.string() });

/**
 * Sends SMS through SMSAPI (`POST /sms.do`, form-encoded, bearer token, `format=json`).
 *
 * Our message id goes as `idx` with `check_idx=1`, so SMSAPI refuses a second message with
 * the same idx (error 53): a retry after a lost answer cannot send twice, and that refusal
 * means the first attempt was taken. As that refusal carries no SMSAPI id, the provider id
 * is our idx on both paths; SMSAPI echoes `idx` in every delivery report, which is how
 * reports find the message. `notify_url` carries our shared secret (see SmsapiWebhooks).
 */
export class SmsapiProvider implements ChannelProvider {
  readonly name = SMSAPI_PROVIDER;
  readonly capabilities = { idempotencyKey: true };
  readonly webhooks: SmsapiWebhooks;

  constructor(private readonly config: SmsapiConfig) {
    this.webhooks = new SmsapiWebhooks(config);
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const from = message.sender ?? this.config.from;
    const notifyUrl = `${this.config.publicUrl}/v1/providers/${SMSAPI_PROVIDER}/status?secret=${encodeURIComponent(this.config.callbackSecret)}`;
    const form = new URLSearchParams({
      // SMSAPI takes numbers with the country code and without the plus sign (48500000000).
      to: message.to.replace(/^\+/, ''),
      message: message.body,
      ...(from && { from }),
      format: 'json',
      encoding: 'utf-8',
      idx: message.messageId,
      check_idx: '1',
      notify_url: notifyUrl,
    });
    const { status, body, retryAfterMs } = await this.post('/sms.do', form);
    const accepted = { outcome: 'accepted', status: 'sent', providerMessageId: message.messageId } as const;
    if (status >= 200 && status < 300 && sentAnswer.safeParse(body).success) return accepted;
    const refusal = errorAnswer.safeParse(body);
    if (refusal.success && refusal.data.error === SMSAPI_DUPLICATE_IDX) return accepted;
    return { outcome: 'rejected', error: withRetryAfter(smsapiRefusal(status, refusal.success ? refusal.data : undefined), retryAfterMs) };
  }

  private async post(path: string, form: URLSearchParams): Promise<{ status: number; body: unknown; retryAfterMs: number | undefined }> {
    const { status, text, retryAfterMs } = await callProvider(
      'SMSAPI',
      `${this.config.baseUrl}${path}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${this.config.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      },
      this.config.timeoutMs,
    );
    return { status, body: parseJson(text), retryAfterMs };
  }
}

/** `providers.sms: { provider: smsapi, tokenEnv, callbackSecretEnv, from?, baseUrl?, timeoutMs? }`. */
export const smsapiFactory: ProviderFactory = (settings, channel, context) => new SmsapiProvider(smsapiConfig(settings, channel, context));
