import { createHmac } from 'node:crypto';
import { bearerToken, jsonBody, startFakeProviderServer, type FakeAnswer, type FakeProviderServer } from './fake-provider-server';
import type { WebhookRequest } from '../webhooks';

/** A message the fake Cloud API took: the JSON it was sent, and the wamid it answered. */
export interface FakeWhatsAppMessage {
  id: string;
  payload: Record<string, unknown>;
}

/** A local stand-in for the Cloud API's `/{version}/{phoneNumberId}/messages`, checking what Meta checks and answering as it documents. */
export interface FakeWhatsAppCloudApi extends FakeProviderServer {
  sent: FakeWhatsAppMessage[];
  /** Users who wrote within the last 24 h: only they may get free-form text (else 131047). */
  openSession(phoneNumber: string): void;
  /** The next `count` calls are refused with 130429 (rate limit hit). */
  throttleNext(count: number): void;
}

const graphError = (
  status: number,
  code: number,
  message: string,
  extra: { error_subcode?: number; details?: string } = {},
): FakeAnswer => ({
  status,
  body: {
    error: {
      message,
      type: 'OAuthException',
      code,
      ...(extra.details && { error_data: { messaging_product: 'whatsapp', details: extra.details } }),
      ...(extra.error_subcode !== undefined && { error_subcode: extra.error_subcode }),
      fbtrace_id: 'AazNwlZ3kVGZx3Hk4mDQ3yD',
    },
  },
});

const PHONE = /^\+?[1-9]\d{6,14}$/;

/** `templates` are the approved templates, name → language code. */
export async function startFakeWhatsAppCloudApi(options: {
  token: string;
  phoneNumberId: string;
  templates: Record<string, string>;
}): Promise<FakeWhatsAppCloudApi> {
  const sent: FakeWhatsAppMessage[] = [];
  const openSessions = new Set<string>();
  let throttled = 0;

  const server = await startFakeProviderServer((request) => {
    const path = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(request.path);
    if (request.method !== 'POST' || !path) return graphError(400, 2500, 'Unknown path components: ' + request.path);
    if (bearerToken(request) !== options.token) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (path[2] !== options.phoneNumberId) {
      return graphError(
        400,
        100,
        `Unsupported post request. Object with ID '${path[2]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        { error_subcode: 33 },
      );
    }
    const payload = jsonBody(request) as Record<string, unknown> | undefined;
    if (payload?.messaging_product !== 'whatsapp') return graphError(400, 100, '(#100) The parameter messaging_product is required.');
    const to = payload.to;
    if (typeof to !== 'string' || !PHONE.test(to))
      return graphError(400, 100, '(#100) Invalid parameter', { details: 'Invalid WhatsApp ID or phone number' });
    if (throttled > 0) {
      throttled -= 1;
      return graphError(400, 130429, '(#130429) Rate limit hit', { details: 'Cloud API message throughput has been reached.' });
    }
    const refusal =
      payload.type === 'text'
        ? checkText(payload, openSessions.has(to.replace(/^\+/, '')))
        : payload.type === 'template'
          ? checkTemplate(payload, options.templates)
          : graphError(400, 100, '(#100) Invalid parameter', { details: 'Unsupported message type' });
    if (refusal) return refusal;
    const id = `wamid.HBgLMzQ2MDAwMDAwMDEVAgARGBI${(sent.length + 1).toString(16).padStart(8, '0').toUpperCase()}AA==`;
    sent.push({ id, payload });
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
        messages: [{ id, ...(payload.type === 'template' && { message_status: 'accepted' }) }],
      },
    };
  });

  return {
    ...server,
    sent,
    openSession: (phoneNumber) => openSessions.add(phoneNumber.replace(/^\+/, '')),
    throttleNext: (count) => {
      throttled = count;
    },
  };
}

function checkText(payload: Record<string, unknown>, sessionOpen: boolean): FakeAnswer | undefined {
  const text = payload.text as { body?: unknown } | undefined;
  if (typeof text?.body !== 'string' || text.body.length === 0) return graphError(400, 100, '(#100) The parameter text[body] is required.');
  if (!sessionOpen) {
    return graphError(400, 131047, '(#131047) Re-engagement message', {
      error_subcode: 2494010,
      details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    });
  }
  return undefined;
}

function checkTemplate(payload: Record<string, unknown>, templates: Record<string, string>): FakeAnswer | undefined {
  const template = payload.template as { name?: unknown; language?: { code?: unknown }; components?: unknown } | undefined;
  if (typeof template?.name !== 'string' || typeof template.language?.code !== 'string')
    return graphError(400, 100, '(#100) The parameter template[name] is required.');
  if (templates[template.name] !== template.language.code) {
    return graphError(404, 132001, '(#132001) Template name does not exist in the translation', {
      details: `template name (${template.name}) does not exist in ${template.language.code}`,
    });
  }
  return undefined;
}

/** A notification as Meta POSTs it: the JSON text, signed with the app secret unless `signature` is given. */
export function aWhatsAppNotification(appSecret: string, value: object, signature?: string): WebhookRequest {
  const json = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              ...value,
            },
          },
        ],
      },
    ],
  });
  const rawBody = Buffer.from(json);
  return {
    url: 'https://nudge.example/v1/providers/whatsapp-cloud/status',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signature ?? `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`,
    },
    rawBody,
    body: JSON.parse(json) as unknown,
    query: {},
  };
}

/** Meta's GET subscription handshake. */
export function aWhatsAppHandshake(query: Record<string, string>): WebhookRequest {
  return {
    url: 'https://nudge.example/v1/providers/whatsapp-cloud/status',
    method: 'GET',
    headers: {},
    rawBody: Buffer.alloc(0),
    body: undefined,
    query,
  };
}
