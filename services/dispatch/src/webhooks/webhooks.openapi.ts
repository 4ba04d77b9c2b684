import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { messageViewSchema, sentMessage } from '../messages/messages.openapi';
import { sandboxInboundSchema, sandboxStatusSchema } from './sandbox-callbacks.input';

const providerParams = z.object({ provider: z.string().describe('A configured provider id (settings `providers`).') });

const webhookOutcomeSchema = z.object({
  statuses: z.object({ applied: z.number().int(), ignored: z.number().int(), unknown: z.number().int() }),
  inbound: z.object({ received: z.number().int(), unsubscribed: z.number().int() }),
  optOuts: z.object({ received: z.number().int(), applied: z.number().int() }),
  subscriptions: z.object({ received: z.number().int(), bound: z.number().int() }),
});
const processed = {
  statuses: { applied: 1, ignored: 0, unknown: 0 },
  inbound: { received: 0, unsubscribed: 0 },
  optOuts: { received: 0, applied: 0 },
  subscriptions: { received: 0, bound: 0 },
};

const webhook = (kind: 'status' | 'inbound', summary: string): ApiOperation => ({
  method: 'post',
  path: `/v1/providers/{provider}/${kind}`,
  tag: 'Provider webhooks',
  summary,
  description:
    "The provider's own body (Twilio form fields, Meta JSON, …), checked by its signature over the exact bytes; a request without a valid signature is refused unless it carries the admin key.",
  request: { params: providerParams },
  responses: { 200: { description: 'What the webhook changed.', content: { schema: webhookOutcomeSchema, examples: { processed } } } },
  errors: {
    401: [
      { code: 'invalid_signature', description: 'The request does not carry a valid signature of this provider.', path: '(signature)' },
    ],
    404: [{ code: 'not_found', description: 'No such provider.' }],
  },
});

const inboundOutcomeSchema = z.object({
  repliedTo: messageViewSchema.nullable(),
  unsubscribed: z.boolean(),
  resubscribed: z.boolean(),
  duplicate: z.boolean(),
  optInsConfirmed: z.number().int(),
});

/** Provider webhooks (signed) and the sandbox provider's callbacks (admin key: tests and demos). */
export const WEBHOOK_OPERATIONS: ApiOperation[] = [
  webhook('status', 'Delivery receipts of a provider'),
  webhook('inbound', 'Inbound messages (replies, STOP, START, YES) of a provider'),
  {
    method: 'get',
    path: ['/v1/providers/{provider}/status', '/v1/providers/{provider}/inbound'],
    tag: 'Provider webhooks',
    summary: "A provider's subscription handshake (Meta's hub.challenge)",
    request: { params: providerParams },
    responses: { 200: { description: 'The challenge, echoed.', content: { contentType: 'text/plain', description: 'The challenge.' } } },
    errors: { 403: [{ code: 'handshake_refused', description: 'Wrong or missing verify token.', path: '(query)' }] },
  },
  {
    method: 'post',
    path: '/v1/providers/sandbox/status',
    tag: 'Sandbox provider',
    summary: 'Report a status for a message the sandbox provider sent',
    request: { body: { schema: sandboxStatusSchema, examples: { delivered: { messageId: 'msg_8f3a', status: 'delivered' } } } },
    responses: {
      200: { description: 'The message after the report.', content: { schema: messageViewSchema, examples: { delivered: sentMessage } } },
    },
    errors: { 404: [{ code: 'not_found', description: 'No message with this id.' }] },
  },
  {
    method: 'post',
    path: '/v1/providers/sandbox/inbound',
    tag: 'Sandbox provider',
    summary: 'Receive a message from a recipient through the sandbox provider (a reply, STOP, YES)',
    request: { body: { schema: sandboxInboundSchema, examples: { stop: { channel: 'sms', from: '+34600000000', text: 'STOP' } } } },
    responses: {
      200: {
        description: 'What the message did.',
        content: {
          schema: inboundOutcomeSchema,
          examples: { stop: { repliedTo: null, unsubscribed: true, resubscribed: false, duplicate: false, optInsConfirmed: 0 } },
        },
      },
    },
  },
];
