import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelOptOut, StatusReport, WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import type { SmsapiConfig } from './smsapi.settings';

/**
 * SMSAPI's delivery-report `status` codes and the status each one reports; 401 NOT_FOUND,
 * 408 UNKNOWN, 409 QUEUE, 410 ACCEPTED and 411 RENEWAL say nothing new and report nothing.
 */
export const SMSAPI_REPORT_STATUSES: Readonly<Record<number, { name: string; status: StatusReport['status'] }>> = {
  402: { name: 'EXPIRED', status: 'expired' },
  403: { name: 'SENT', status: 'sent' },
  404: { name: 'DELIVERED', status: 'delivered' },
  405: { name: 'UNDELIVERED', status: 'failed' },
  406: { name: 'FAILED', status: 'failed' },
  407: { name: 'REJECTED', status: 'failed' },
  412: { name: 'STOP', status: 'failed' },
};

/** The report of a recipient who replied STOP to the gateway: on its blacklist, never sent to. */
const STOP_STATUS = 412;

/**
 * SMSAPI's delivery reports, sent to our `notify_url` as GET or POST parameters `MsgId`,
 * `status`, `idx`, `donedate` (Unix seconds)… SMSAPI may batch several reports in one call,
 * each parameter then a comma-separated list in the same order.
 *
 * SMSAPI signs nothing: we put a shared secret (`callbackSecretEnv`) in the `notify_url` we
 * give it, `…/status?secret=…`, and a callback proves itself by carrying it back. Reports
 * are keyed by `idx`, our message id (see SmsapiProvider); one without idx is not ours.
 * SMSAPI only replies with two-way numbers, so there are no inbound messages here; but a 412
 * STOP report (the recipient is on SMSAPI's blacklist after replying STOP) is a channel-side
 * opt-out of its number, `to`, as well as the message's failure.
 */
export class SmsapiWebhooks implements WebhookHandler {
  private readonly secretDigest: Buffer;

  constructor(config: Pick<SmsapiConfig, 'callbackSecret'>) {
    this.secretDigest = digest(config.callbackSecret);
  }

  verify(request: WebhookRequest): boolean {
    const given = request.query['secret'];
    // Compared as digests: equal lengths for timingSafeEqual, whatever was given.
    return given !== undefined && timingSafeEqual(digest(given), this.secretDigest);
  }

  parse(request: WebhookRequest): WebhookContent {
    const params = callbackParams(request);
    const list = (name: string) => params.get(name)?.split(',') ?? [];
    const idxs = list('idx');
    const doneDates = list('donedate');
    const recipients = list('to');
    const statuses = list('status').flatMap((code, index): StatusReport[] => {
      const known = SMSAPI_REPORT_STATUSES[Number(code)];
      const idx = idxs[index];
      if (!known || !idx) return [];
      const at = unixSecondsToIso(doneDates[index]);
      const reason = known.status === 'failed' || known.status === 'expired' ? `SMSAPI reported ${known.name} (${code})` : undefined;
      return [{ providerMessageId: idx, status: known.status, ...(at && { at }), ...(reason && { reason }) }];
    });
    const optOuts = list('status').flatMap((code, index): ChannelOptOut[] => {
      const to = recipients[index];
      if (Number(code) !== STOP_STATUS || !to) return [];
      const at = unixSecondsToIso(doneDates[index]);
      return [{ channel: 'sms', from: to, suppressed: true, event: 'smsapi:STOP', ...(at && { at }) }];
    });
    return { statuses, inbound: [], ...(optOuts.length > 0 && { optOuts }) };
  }
}

/** The query and, for a form-encoded POST, the body's parameters. */
function callbackParams(request: WebhookRequest): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query)) if (value !== undefined) params.set(name, value);
  if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(request.rawBody.toString('utf8'))) params.set(name, value);
  }
  return params;
}

function unixSecondsToIso(seconds: string | undefined): string | undefined {
  const value = Number(seconds);
  return seconds && Number.isFinite(value) && value > 0 ? new Date(value * 1000).toISOString() : undefined;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
