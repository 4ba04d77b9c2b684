import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { listInboxQuerySchema } from './list-inbox.query';

const inboxItemSchema = z.object({
  messageId: z.string(),
  campaignId: z.string(),
  title: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  clickedAt: z.string().nullable(),
});

const item = {
  messageId: 'msg_8f3a',
  campaignId: 'welcome',
  title: 'Welcome',
  body: 'Your trial starts today.',
  createdAt: '2026-03-01T10:15:01.000Z',
  readAt: null,
  clickedAt: null,
};

const params = z.object({ userId: z.string() });
const itemParams = z.object({ userId: z.string(), messageId: z.string() });
const noItem = { 404: [{ code: 'not_found', description: "No such message in this user's inbox." }] };

const report = (what: 'read' | 'clicked'): ApiOperation => ({
  method: 'post',
  path: `/v1/users/{userId}/inbox/{messageId}/${what}`,
  tag: 'In-app inbox',
  summary: `Mark an inbox message ${what} (reported as message_${what})`,
  request: { params: itemParams },
  responses: {
    200: {
      description: 'The item after the report (the same answer again when already reported).',
      content: {
        schema: inboxItemSchema,
        examples: {
          [what]: { ...item, readAt: '2026-03-01T11:00:00.000Z', ...(what === 'clicked' ? { clickedAt: '2026-03-01T11:00:00.000Z' } : {}) },
        },
      },
    },
  },
  errors: noItem,
});

/** The in-app inbox (SPEC §7): the user's own token (or the admin key). */
export const INBOX_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/users/{userId}/inbox',
    tag: 'In-app inbox',
    summary: "The user's inbox, newest first",
    request: { params, query: listInboxQuerySchema },
    responses: {
      200: {
        description: 'The inbox items.',
        content: { schema: z.object({ items: z.array(inboxItemSchema) }), examples: { one: { items: [item] } } },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/users/{userId}/inbox/stream',
    tag: 'In-app inbox',
    summary: 'New inbox messages as server-sent events',
    description:
      'The response stays open; each new message is an `inbox_item` event whose data is an inbox item. Pass the token as `?token=` (an EventSource cannot send headers).',
    request: { params },
    responses: {
      200: {
        description: 'A stream of server-sent events.',
        content: { contentType: 'text/event-stream', description: 'Server-sent events.' },
      },
    },
  },
  report('read'),
  report('clicked'),
];
