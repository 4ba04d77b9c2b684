import { CHANNELS, MESSAGE_STATUSES } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { listMessagesQuerySchema } from './list-messages.query';

/** A message as `GET /v1/messages` answers it (`MessageView`). */
export const messageViewSchema = z.object({
  id: z.string(),
  sendId: z.string(),
  campaignId: z.string(),
  stepId: z.string(),
  userId: z.string(),
  channel: z.enum(CHANNELS),
  provider: z.string(),
  to: z.string(),
  body: z.string().nullable(),
  segments: z.number().int().nullable(),
  status: z.enum(MESSAGE_STATUSES),
  statusHistory: z.array(z.object({ status: z.enum(MESSAGE_STATUSES), at: z.string(), reason: z.string().optional() })),
  failureReason: z.string().nullable(),
  triggerEventId: z.string(),
  createdAt: z.string(),
});

export const sentMessage = {
  id: 'msg_8f3a',
  sendId: 'snd_2c91',
  campaignId: 'welcome',
  stepId: 'main',
  userId: 'u_123',
  channel: 'sms',
  provider: 'sandbox',
  to: '+34600000000',
  body: 'Welcome, Ana!',
  segments: 1,
  status: 'delivered',
  statusHistory: [
    { status: 'queued', at: '2026-03-01T10:15:01.000Z' },
    { status: 'sent', at: '2026-03-01T10:15:02.000Z' },
    { status: 'delivered', at: '2026-03-01T10:15:05.000Z' },
  ],
  failureReason: null,
  triggerEventId: 'evt_01J9Z3',
  createdAt: '2026-03-01T10:15:01.000Z',
};

/** `GET /v1/messages` and `GET /v1/messages/{id}` (SPEC §7), admin key only. */
export const MESSAGES_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/messages',
    tag: 'Messages',
    summary: "A user's or a campaign's messages, newest first, with their status history",
    description: 'At least one of `userId` and `campaignId`.',
    request: { query: listMessagesQuerySchema },
    responses: {
      200: {
        description: 'The messages.',
        content: { schema: z.object({ items: z.array(messageViewSchema) }), examples: { one: { items: [sentMessage] } } },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/messages/{id}',
    tag: 'Messages',
    summary: 'One message with its status history',
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: 'The message.', content: { schema: messageViewSchema, examples: { delivered: sentMessage } } } },
    errors: { 404: [{ code: 'not_found', description: 'No message with this id.' }] },
  },
];
