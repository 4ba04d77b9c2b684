import { createHmac } from 'node:crypto';
import { basicCredentials, formFields, startFakeProviderServer, type FakeAnswer, type FakeProviderServer } from './fake-provider-server';
import type { WebhookRequest } from '../webhooks';

/** A message the fake Twilio created, with the form fields it was created from. */
export interface FakeTwilioMessage {
  sid: string;
  fields: Record<string, string>;
}

/** A local stand-in for Twilio's Messages resource, checking what Twilio checks and answering as it documents. */
export interface FakeTwilioApi extends FakeProviderServer {
  created: FakeTwilioMessage[];
  /** The next `count` calls are answered 429 Too Many Requests (20429). */
  throttleNext(count: number): void;
}

const twilioError = (status: number, code: number, message: string): FakeAnswer => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

const E164 = /^\+[1-9]\d{6,14}$/;

export async function startFakeTwilioApi(accountSid: string, authToken: string): Promise<FakeTwilioApi> {
  const created: FakeTwilioMessage[] = [];
  let throttled = 0;

  const server = await startFakeProviderServer((request) => {
    const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(request.path);
    if (request.method !== 'POST' || !path) return twilioError(404, 20404, `The requested resource ${request.path} was not found`);
    const credentials = basicCredentials(request);
    if (credentials?.user !== accountSid || credentials.password !== authToken) {
      return {
        status: 401,
        body: {
          code: 20003,
          detail: 'Your AccountSid or AuthToken was incorrect.',
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        },
      };
    }
    if (decodeURIComponent(path[1] ?? '') !== accountSid)
      return twilioError(404, 20404, `The requested resource ${request.path} was not found`);
    if (throttled > 0) {
      throttled -= 1;
      return twilioError(429, 20429, 'Too Many Requests');
    }
    const fields = Object.fromEntries(formFields(request));
    const {
      To: to,
      From: from,
      MessagingServiceSid: service,
      Body: body,
      StatusCallback: statusCallback,
      FallbackFrom: fallbackFrom,
    } = fields;
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!from && !service) return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!body) return twilioError(400, 21602, 'Message body is required.');
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (body.length > 1600) return twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (fallbackFrom && !service) return twilioError(400, 21666, "'FallbackFrom' requires MessagingServiceSid");
    if (statusCallback && !URL.canParse(statusCallback)) return twilioError(400, 21609, 'Invalid StatusCallback url');
    const sid = `SM${(created.length + 1).toString(16).padStart(32, '0')}`;
    created.push({ sid, fields });
    const now = new Date('2026-11-24T10:00:00Z').toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      body: {
        account_sid: accountSid,
        api_version: '2010-04-01',
        body,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from: from ?? null,
        messaging_service_sid: service ?? null,
        num_media: '0',
        num_segments: service ? '0' : '1',
        price: null,
        price_unit: 'USD',
        sid,
        status: service ? 'accepted' : 'queued',
        to,
        uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      },
    };
  });

  return {
    ...server,
    created,
    throttleNext: (count) => {
      throttled = count;
    },
  };
}

/** A form-encoded callback as Twilio sends it to `url`, signed with the Auth Token unless `signature` is given. */
export function aTwilioCallback(authToken: string, url: string, params: Record<string, string>, signature?: string): WebhookRequest {
  const form = new URLSearchParams(params);
  const signed = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + (params[name] ?? ''), url);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  headers['x-twilio-signature'] = signature ?? createHmac('sha1', authToken).update(signed).digest('base64');
  return {
    url,
    method: 'POST',
    headers,
    rawBody: Buffer.from(form.toString()),
    body: params,
    query: Object.fromEntries(new URL(url).searchParams),
  };
}
