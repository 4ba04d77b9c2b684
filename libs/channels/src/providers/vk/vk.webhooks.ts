import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { WebhookContent, WebhookHandler, WebhookRequest } from '../../webhooks';
import type { VkConfig } from './vk.settings';

const callback = z.object({ type: z.string(), group_id: z.number(), secret: z.string(), object: z.unknown().optional() });

const newMessage = z.object({
  message: z.object({ id: z.number(), date: z.number(), from_id: z.number(), text: z.string() }),
});

/**
 * VK's Callback API: every callback is a JSON `{ type, object, group_id, secret }` whose
 * `secret` is the community's secret key. `confirmation` asks the endpoint to answer the
 * confirmation code (see `handshake`); every other callback expects the body `ok`.
 * `message_new` is a reply; `message_allow` / `message_deny` (the user switching messages
 * from the community on or off) are not mapped — a send to a user who denied them fails
 * with error 901 — nor is `message_reply` (our own outgoing messages).
 */
export class VkWebhooks implements WebhookHandler {
  constructor(private readonly config: Pick<VkConfig, 'secret' | 'confirmationCode' | 'groupId' | 'channel'>) {}

  verify(request: WebhookRequest): boolean {
    const parsed = callback.safeParse(request.body);
    if (!parsed.success) return false;
    if (this.config.groupId !== undefined && parsed.data.group_id !== this.config.groupId) return false;
    const given = Buffer.from(parsed.data.secret);
    const expected = Buffer.from(this.config.secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The confirmation code for a verified `confirmation` callback (a POST, unlike Messenger's GET); null for anything else. */
  handshake(request: WebhookRequest): string | null {
    if (!this.verify(request)) return null;
    return callback.safeParse(request.body).data?.type === 'confirmation' ? this.config.confirmationCode : null;
  }

  parse(request: WebhookRequest): WebhookContent {
    const parsed = callback.safeParse(request.body);
    if (!parsed.success || parsed.data.type !== 'message_new') return { statuses: [], inbound: [] };
    const event = newMessage.safeParse(parsed.data.object);
    if (!event.success) return { statuses: [], inbound: [] };
    const { id, date, from_id, text } = event.data.message;
    return {
      statuses: [],
      inbound: [
        {
          channel: this.config.channel,
          from: String(from_id),
          text,
          at: new Date(date * 1000).toISOString(),
          ...(id > 0 && { providerMessageId: String(id) }),
        },
      ],
    };
  }
}
