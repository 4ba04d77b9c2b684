import { bearerToken, formFields, startFakeProviderServer, type FakeAnswer, type FakeProviderServer } from './fake-provider-server';
import type { WebhookRequest } from '../webhooks';

/** An SMS the fake SMSAPI took, with the form fields it was sent with. */
export interface FakeSmsapiMessage {
  id: string;
  fields: Record<string, string>;
}

/** A local stand-in for SMSAPI's `/sms.do`, checking what SMSAPI checks and answering as it documents. */
export interface FakeSmsapi extends FakeProviderServer {
  sent: FakeSmsapiMessage[];
  /** The next `count` calls are answered 429 with error 202 (too many simultaneous requests). */
  throttleNext(count: number): void;
}

const refusal = (status: number, error: number, message: string): FakeAnswer => ({ status, body: { error, message } });
const NUMBER = /^\d{9,15}$/;

/** `senderNames` are the sender names registered on the account; any other `from` is refused (14). */
export async function startFakeSmsapi(token: string, senderNames: readonly string[]): Promise<FakeSmsapi> {
  const sent: FakeSmsapiMessage[] = [];
  let throttled = 0;

  const server = await startFakeProviderServer((request) => {
    if (request.method !== 'POST' || request.path !== '/sms.do') return { status: 404, body: { message: 'Not found', error: 'not_found' } };
    if (bearerToken(request) !== token)
      return { status: 401, body: { message: 'Authorization failed', error: 'invalid_token', errors: null } };
    if (throttled > 0) {
      throttled -= 1;
      return refusal(429, 202, "Too many simultaneous request, the message won't be sent");
    }
    const fields = Object.fromEntries(formFields(request));
    const { to, message, from, format, idx, check_idx: checkIdx, notify_url: notifyUrl } = fields;
    if (format !== 'json') return { status: 200, body: 'ERROR:18', contentType: 'text/plain' };
    if (!message) return refusal(400, 11, 'Message is empty or too long');
    if (!to || !NUMBER.test(to)) {
      return {
        status: 400,
        body: {
          invalid_numbers: [{ number: to ?? '', submitted_number: to ?? '', message: 'Invalid phone number' }],
          error: 13,
          message: 'No correct phone numbers',
        },
      };
    }
    if (from !== undefined && !senderNames.includes(from)) return refusal(400, 14, 'Invalid sender name');
    if (idx !== undefined && idx.length > 255) return refusal(400, 27, 'Too long IDX parameter. Maximum 255 chars.');
    if (checkIdx === '1' && sent.some((sms) => sms.fields.idx === idx)) {
      return refusal(400, 53, 'Not unique idx parameter, message with the same idx has been already sent and &check_idx=1.');
    }
    if (notifyUrl !== undefined && !URL.canParse(notifyUrl)) return refusal(400, 70, 'Invalid URL in notify_url parameter.');
    const id = (0x5f2a9e1d3463351e7a0f0000n + BigInt(sent.length + 1)).toString(16).toUpperCase();
    sent.push({ id, fields });
    return {
      status: 200,
      body: {
        count: 1,
        list: [
          {
            id,
            points: 0.16,
            number: to,
            date_sent: 1795514400,
            submitted_number: to,
            status: 'QUEUE',
            error: null,
            idx: idx ?? null,
            parts: 1,
          },
        ],
      },
    };
  });

  return {
    ...server,
    sent,
    throttleNext: (count) => {
      throttled = count;
    },
  };
}

/** A delivery report as SMSAPI calls `notifyUrl` with it: GET, the report's parameters appended to the query. */
export function anSmsapiReport(notifyUrl: string, report: Record<string, string>): WebhookRequest {
  const url = new URL(notifyUrl);
  for (const [name, value] of Object.entries(report)) url.searchParams.set(name, value);
  return {
    url: url.toString(),
    method: 'GET',
    headers: {},
    rawBody: Buffer.alloc(0),
    body: undefined,
    query: Object.fromEntries(url.searchParams),
  };
}
