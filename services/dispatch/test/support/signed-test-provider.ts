import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  ChannelProvider,
  OutboundMessage,
  ProviderFactory,
  StatusReport,
  WebhookContent,
  WebhookHandler,
  WebhookRequest,
} from '@nudge/channels';
import type { Channel } from '@nudge/contracts';

export const SIGNED_TEST_PROVIDER = 'signed-test';
const SIGNATURE_HEADER = 'x-test-signature';

/** What this provider's webhooks carry (JSON or form, see below), taken as the test sent it. */
interface TestWebhookBody {
  MessageSid?: unknown;
  MessageStatus: StatusReport['status'];
  From?: unknown;
  Body?: unknown;
  statuses?: { id: string; status: StatusReport['status'] }[];
  inbound?: { from: string; text: string }[];
}

/** Signs a webhook the way Twilio does: HMAC-SHA256 over the full URL and the raw body, base64. */
export function signWebhook(secret: string, url: string, rawBody: string): string {
  return createHmac('sha256', secret).update(url).update(rawBody).digest('base64');
}

/**
 * A provider for tests, configured as `{ provider: signed-test, secretEnv, verifyToken }`:
 * takes every message as `sent` (provider id `st-<message id>`) and keeps it in `outbox`;
 * its webhooks are signed (`signWebhook`, header x-test-signature) and carry statuses and
 * inbound messages as JSON (`{ statuses: [{ id, status }], inbound: [{ from, text }] }`) or
 * as a form (`MessageSid`, `MessageStatus` / `From`, `Body`); a GET handshake echoes
 * `challenge` when `token` is the verify token. It has a 24 h session window and takes
 * at most 200 characters.
 */
export function signedTestProvider(outbox: OutboundMessage[]): ProviderFactory {
  return (settings, channel, context) => {
    const secret = context.env[String(settings.secretEnv)];
    if (!secret) throw new Error(`providers.${channel}.secretEnv: environment variable ${String(settings.secretEnv)} is not set`);
    const provider: ChannelProvider = {
      name: SIGNED_TEST_PROVIDER,
      capabilities: { idempotencyKey: true, maxLength: 200, sessionWindowHours: 24 },
      send: async (message) => {
        outbox.push(message);
        return { outcome: 'accepted', status: 'sent', providerMessageId: `st-${message.messageId}` };
      },
      webhooks: new SignedTestWebhooks(secret, String(settings.verifyToken), channel),
    };
    return provider;
  };
}

class SignedTestWebhooks implements WebhookHandler {
  constructor(
    private readonly secret: string,
    private readonly verifyToken: string,
    private readonly channel: Channel,
  ) {}

  verify(request: WebhookRequest): boolean {
    const given = Buffer.from(request.headers[SIGNATURE_HEADER] ?? '');
    const expected = Buffer.from(signWebhook(this.secret, request.url, request.rawBody.toString('utf8')));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  parse(request: WebhookRequest): WebhookContent {
    const body = request.body as TestWebhookBody;
    if (typeof body.MessageSid === 'string') {
      return { statuses: [{ providerMessageId: body.MessageSid, status: body.MessageStatus }], inbound: [] };
    }
    if (typeof body.From === 'string')
      return { statuses: [], inbound: [{ channel: this.channel, from: body.From, text: String(body.Body) }] };
    if (!Array.isArray(body.statuses) && !Array.isArray(body.inbound)) throw new Error('neither statuses nor inbound messages');
    return {
      statuses: (body.statuses ?? []).map((s) => ({ providerMessageId: s.id, status: s.status })),
      inbound: (body.inbound ?? []).map((m) => ({ channel: this.channel, from: m.from, text: m.text })),
    };
  }

  handshake(request: WebhookRequest): string | null {
    return request.query.token === this.verifyToken ? (request.query.challenge ?? '') : null;
  }
}
