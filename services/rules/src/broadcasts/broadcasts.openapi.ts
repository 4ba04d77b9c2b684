import { CATEGORIES } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { AUDIENCE_ESTIMATE_MS } from './audience-estimate.service';
import { audienceEstimateRequestSchema, broadcastRequestSchema } from './broadcast-request';
import { BROADCAST_OUTCOMES } from './broadcast-view';
import { broadcastsQuerySchema } from './broadcasts.controller';

/** What `broadcastView` answers. */
const broadcastViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string().describe('scheduled, running, done or cancelled.'),
  category: z.enum(CATEGORIES),
  sendAt: z.string(),
  audience: z.object({ topic: z.string().optional(), conditions: z.unknown().optional() }),
  timeWindow: z.record(z.unknown()).optional(),
  frequencyCaps: z.array(z.record(z.unknown())).optional(),
  message: z.record(z.unknown()),
  counts: z
    .record(z.enum(BROADCAST_OUTCOMES), z.number().int())
    .describe('Decisions so far, by outcome (every outcome shown, zero or not).'),
  processed: z.number().int(),
  audienceSize: z.number().int().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

const request = {
  id: 'spring-sale-2026',
  name: 'Spring sale',
  category: 'marketing',
  audience: { topic: 'newsletter' },
  sendAt: '2026-03-20T09:00:00Z',
  message: { channel: 'email', subject: 'Spring sale', body: 'Hi {{ profile.attributes.firstName }}, 20% off until Sunday.' },
};
const view = {
  id: 'spring-sale-2026',
  name: 'Spring sale',
  status: 'scheduled',
  category: 'marketing',
  sendAt: '2026-03-20T09:00:00.000Z',
  audience: { topic: 'newsletter' },
  message: request.message,
  counts: { sent: 0, deferred_window: 0, dropped_window: 0, capped: 0, no_consent: 0, no_address: 0 },
  processed: 0,
  audienceSize: null,
  createdAt: '2026-03-01T10:15:00.000Z',
  startedAt: null,
  finishedAt: null,
};
const idParams = z.object({ id: z.string() });
const noBroadcast = { 404: [{ code: 'not_found', description: 'No broadcast with this id.' }] };

/** Broadcasts: one message to a topic's subscribers or a profile segment, now or at `sendAt`. */
export const BROADCASTS_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/broadcasts',
    tag: 'Broadcasts',
    summary: 'Send a message to an audience, now or at sendAt',
    description: '`id` is the idempotency key: the same request again answers 200 with the existing broadcast.',
    request: { body: { schema: broadcastRequestSchema, examples: { request } } },
    responses: {
      202: { description: 'A new broadcast.', content: { schema: broadcastViewSchema, examples: { scheduled: view } } },
      200: {
        description: 'The broadcast this request created before.',
        content: { schema: broadcastViewSchema, examples: { scheduled: view } },
      },
    },
    errors: { 409: [{ code: 'conflict', description: 'This id names a different broadcast.', path: 'id' }] },
  },
  {
    method: 'post',
    path: '/v1/broadcasts/audience',
    tag: 'Broadcasts',
    summary: 'The audience size of a broadcast before it is sent',
    description: `The body of \`POST /v1/broadcasts\` as it is, or just its \`audience\` (\`message.channel\` and \`category\` to count who could be reached). The same profiles and audience test as the running broadcast, read without sending or storing anything; the scan stops after ${AUDIENCE_ESTIMATE_MS / 1000} s (\`complete: false\`, counts of the profiles scanned).`,
    request: {
      body: {
        schema: audienceEstimateRequestSchema,
        examples: {
          topic: { audience: { topic: 'newsletter' }, message: { channel: 'email', body: 'x' } },
          segment: {
            audience: { conditions: { all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }] } },
          },
        },
      },
    },
    responses: {
      200: {
        description: 'The counts.',
        content: {
          schema: z.object({
            audience: z.number().int().describe('Profiles the broadcast would decide (its audienceSize).'),
            subscribed: z.number().int().describe('Of those, the ones who have not switched the topic off (all, without a topic).'),
            reachable: z
              .number()
              .int()
              .nullable()
              .describe(
                'Of those, the ones with an address, consent and no opt-out on a channel of the message, as now (null without a message). Windows and caps are decided at send time.',
              ),
            scanned: z.number().int().describe('Profiles read.'),
            complete: z.boolean().describe('False when the scan stopped at its time limit.'),
          }),
          examples: { topic: { audience: 12000, subscribed: 11200, reachable: 9870, scanned: 12000, complete: true } },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/broadcasts',
    tag: 'Broadcasts',
    summary: 'Recent broadcasts, newest first',
    request: { query: broadcastsQuerySchema },
    responses: {
      200: {
        description: 'The broadcasts.',
        content: { schema: z.object({ items: z.array(broadcastViewSchema) }), examples: { one: { items: [view] } } },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/broadcasts/{id}',
    tag: 'Broadcasts',
    summary: 'One broadcast, with its progress and counts',
    request: { params: idParams },
    responses: { 200: { description: 'The broadcast.', content: { schema: broadcastViewSchema, examples: { scheduled: view } } } },
    errors: noBroadcast,
  },
  {
    method: 'post',
    path: '/v1/broadcasts/{id}/cancel',
    tag: 'Broadcasts',
    summary: 'Cancel a broadcast that has not finished',
    request: { params: idParams },
    responses: {
      200: {
        description: 'The broadcast, cancelled.',
        content: { schema: broadcastViewSchema, examples: { cancelled: { ...view, status: 'cancelled' } } },
      },
    },
    errors: { ...noBroadcast, 409: [{ code: 'conflict', description: 'The broadcast has already finished.', path: '(url)' }] },
  },
];
