import { boundedJsonObject, idSchema } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { SEGMENT_MESSAGE_TYPES } from './segment-messages';
import { segmentBatchSchema } from './segment-requests';

/**
 * The Segment spec's messages as ingest reads them (`segment-messages.ts` checks each field by
 * hand, to name `batch[3].event`): unknown fields (`integrations`, `_metadata`, `sentAt`,
 * `writeKey`…) are ignored, as Segment does, so these are open objects.
 */
const idOrNumber = z.union([idSchema, z.number()]);
const common = {
  type: z.enum(SEGMENT_MESSAGE_TYPES).optional(),
  userId: idOrNumber.nullish(),
  anonymousId: idOrNumber.nullish().describe('Used as the user id when `userId` is absent.'),
  messageId: idSchema.optional().describe('Becomes the eventId: a retry is idempotent.'),
  timestamp: z.string().optional(),
  context: boundedJsonObject()
    .optional()
    .describe('`context.consent.categoryPreferences` records consent (segment.consentCategories in settings).'),
  writeKey: z.string().optional().describe('The ingest key, as analytics.js sends it (instead of a header).'),
};
const track = z.object({ ...common, event: z.string().min(1).max(128), properties: boundedJsonObject().optional() }).passthrough();
const identify = z.object({ ...common, traits: boundedJsonObject().optional() }).passthrough();
const view = z
  .object({
    ...common,
    name: z.string().max(256).nullish(),
    category: z.string().max(256).nullish(),
    properties: boundedJsonObject().optional(),
  })
  .passthrough();
const group = z.object({ ...common, groupId: idOrNumber, traits: boundedJsonObject().optional() }).passthrough();
const alias = z.object({ ...common, previousId: idOrNumber, userId: idOrNumber }).passthrough();
const message = z.union([track, identify, view, group, alias]);

const successSchema = z.object({ success: z.literal(true) });
const ok = { 200: { description: "Applied (Segment's answer).", content: { schema: successSchema, examples: { ok: { success: true } } } } };
const errors = {
  503: [{ code: 'unavailable', description: 'Kafka or Postgres did not answer in time; nothing was applied, send it again.' }],
};

const trackExample = {
  userId: 'u_123',
  event: 'Order Completed',
  properties: { orderId: 'o_987', revenue: 42.5 },
  messageId: 'msg_1',
  timestamp: '2026-03-01T10:15:00Z',
};

const call = (type: string, short: string, summary: string, schema: z.ZodTypeAny, example: unknown): ApiOperation => ({
  method: 'post',
  path: [`/segment/v1/${type}`, `/segment/v1/${short}`],
  tag: 'Segment-compatible',
  summary,
  description: `Segment's HTTP tracking API: \`/${type}\` and analytics.js' short \`/${short}\`. A \`text/plain\` body is read as JSON (analytics.js avoids CORS preflights so).`,
  request: { body: { schema, examples: { [type]: example } } },
  responses: ok,
  errors,
});

/** Segment's HTTP tracking API (issue #15): `/segment/v1/{track,identify,page,screen,group,alias,batch}` and their one-letter paths. */
export const SEGMENT_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: ['/segment/v1/batch', '/segment/v1/b'],
    tag: 'Segment-compatible',
    summary: 'A batch of Segment messages, all or nothing (at most 500 KB)',
    description: 'Each message is one of the calls below with its `type`; a 400 names the bad field of each (`batch[3].event`).',
    request: {
      body: {
        schema: segmentBatchSchema.extend({ batch: z.array(message).min(1) }),
        examples: {
          two: {
            batch: [
              { type: 'track', ...trackExample },
              { type: 'identify', userId: 'u_123', traits: { email: 'ana@example.com' } },
            ],
          },
        },
      },
    },
    responses: ok,
    errors,
  },
  call('track', 't', 'Track: an event', track, trackExample),
  call('identify', 'i', "Identify: the user's traits (into the profile)", identify, {
    userId: 'u_123',
    traits: { email: 'ana@example.com', firstName: 'Ana' },
  }),
  call('page', 'p', 'Page: a `page_viewed` event', view, { anonymousId: 'anon_5f2c', name: 'Pricing', properties: { path: '/pricing' } }),
  call('screen', 's', 'Screen: a `screen_viewed` event', view, { userId: 'u_123', name: 'Checkout' }),
  call('group', 'g', "Group: the user's group and its traits", group, { userId: 'u_123', groupId: 'acme', traits: { plan: 'enterprise' } }),
  call('alias', 'a', 'Alias: merge an anonymous id into the user', alias, { previousId: 'anon_5f2c', userId: 'u_123' }),
];
