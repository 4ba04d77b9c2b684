import type { InboundReport, StatusReport, WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import { isTwilioSignatureValid } from './twilio-signature';

const SIGNATURE_HEADER = 'x-twilio-signature';
/** Twilio writes RCS addresses as `rcs:<sender or phone>`; SMS ones are bare phone numbers or sender ids. */
const RCS_PREFIX = 'rcs:';
/** The query our `StatusCallback` carries for a message sent on channel `rcs` (see TwilioProvider); Twilio signs it with the URL. */
export const RCS_CALLBACK_QUERY = '?channel=rcs';

/**
 * Twilio's `MessageStatus` values and the status each one reports. `queued`, `accepted`,
 * `scheduled` and `sending` are before `sent` and report nothing.
 */
const STATUSES: Readonly<Record<string, StatusReport['status']>> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Twilio's form-encoded callbacks, signed in `X-Twilio-Signature` (see twilio-signature.ts):
 * status callbacks (`MessageSid`, `MessageStatus`, `ErrorCode`) and incoming messages
 * (`From`, `Body`, `MessageSid`, with `SmsStatus=received`).
 *
 * RCS: Twilio falls back to SMS by itself when the handset has no RCS. Twilio's RCS
 * addresses carry the `rcs:` prefix, so a status callback for a message we sent on RCS
 * (our callback URL carries `?channel=rcs`) whose `From` is not an `rcs:` address went out
 * as SMS; its report says so in `reason`. An incoming message from an `rcs:` address is an
 * RCS reply, anything else an SMS one.
 */
export class TwilioWebhooks implements WebhookHandler {
  constructor(private readonly config: { authToken: string }) {}

  verify(request: WebhookRequest): boolean {
    return isTwilioSignatureValid(this.config.authToken, request.url, formParams(request), request.headers[SIGNATURE_HEADER]);
  }

  parse(request: WebhookRequest): WebhookContent {
    const params = formParams(request);
    const messageSid = params.get('MessageSid') ?? params.get('SmsSid');
    const twilioStatus = params.get('MessageStatus') ?? params.get('SmsStatus');
    const body = params.get('Body');
    const from = params.get('From');
    if (twilioStatus === 'received' || (twilioStatus === null && body !== null)) {
      return { statuses: [], inbound: from !== null && body !== null ? [inboundReport(from, body, messageSid)] : [] };
    }
    const status = twilioStatus === null ? undefined : STATUSES[twilioStatus];
    if (!messageSid || !twilioStatus || !status) return { statuses: [], inbound: [] };
    const reasons = [
      status === 'failed' ? failureReason(twilioStatus, params.get('ErrorCode')) : undefined,
      sentOverRcs(request) && from !== null && !isRcsAddress(params)
        ? 'Twilio fell back to SMS: the handset cannot receive RCS'
        : undefined,
    ].filter((reason): reason is string => reason !== undefined);
    return {
      statuses: [{ providerMessageId: messageSid, status, ...(reasons.length > 0 && { reason: reasons.join('; ') }) }],
      inbound: [],
    };
  }
}

function inboundReport(from: string, text: string, messageSid: string | null): InboundReport {
  const rcs = from.startsWith(RCS_PREFIX);
  return {
    channel: rcs ? 'rcs' : 'sms',
    from: rcs ? from.slice(RCS_PREFIX.length) : from,
    text,
    ...(messageSid && { providerMessageId: messageSid }),
  };
}

function failureReason(twilioStatus: string, errorCode: string | null): string {
  return errorCode ? `Twilio reported ${twilioStatus} (error ${errorCode})` : `Twilio reported ${twilioStatus}`;
}

function sentOverRcs(request: WebhookRequest): boolean {
  return request.query['channel'] === 'rcs';
}

function isRcsAddress(params: URLSearchParams): boolean {
  return params.get('From')?.startsWith(RCS_PREFIX) === true || params.get('ChannelPrefix') === 'rcs';
}

/** The POST parameters exactly as sent (repeated names kept), which is what Twilio signs. */
function formParams(request: WebhookRequest): URLSearchParams {
  return new URLSearchParams(request.rawBody.toString('utf8'));
}
