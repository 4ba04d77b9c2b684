import { campaignSchema } from '@nudge/campaigns';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';

/** A campaign as the API answers it (`StoredCampaign`). */
export const storedCampaignSchema = z.object({
  id: z.string(),
  version: z.number().int().describe('Grows by one with every change; decisions name the version they used.'),
  document: z.record(z.unknown()).describe('The campaign document with its defaults filled in.'),
  source: z.string().describe('Where the version came from: `api` or the YAML file.'),
  updatedAt: z.string(),
});

/** The example campaign of the campaign routes. */
export const cartAbandon = {
  id: 'cart-abandon-sms',
  name: 'Abandoned cart nudge',
  category: 'marketing',
  status: 'active',
  trigger: {
    event: 'cart_abandoned',
    conditions: { all: [{ fact: 'event', path: '$.properties.cartValue', operator: 'greaterThan', value: 100 }] },
  },
  delay: 'PT30M',
  timeWindow: { start: '09:00', end: '21:00', outside: 'defer', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
  frequencyCaps: [{ max: 1, per: 'P1D' }],
  message: {
    channel: 'sms',
    sender: 'ACME',
    body: "Hi {{ profile.attributes.firstName | default: 'there' }}, your cart is waiting: {{ 'https://shop.example/cart' | track }}",
  },
};
const stored = { id: 'cart-abandon-sms', version: 3, document: cartAbandon, source: 'api', updatedAt: '2026-03-01T10:15:00.000Z' };
const idParams = z.object({ id: z.string() });

/** The campaign admin API (SPEC §5), described with the schema every campaign is validated with (`@nudge/campaigns`). */
export const CAMPAIGNS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/campaigns',
    tag: 'Campaigns',
    summary: 'Every campaign, its running version',
    responses: {
      200: {
        description: 'The campaigns.',
        content: { schema: z.object({ items: z.array(storedCampaignSchema) }), examples: { one: { items: [stored] } } },
      },
    },
  },
  {
    method: 'post',
    path: '/v1/campaigns/validate',
    tag: 'Campaigns',
    summary: 'Check a campaign document without saving it',
    request: { body: { schema: campaignSchema, examples: { cartAbandon } } },
    responses: {
      200: {
        description: 'Valid: the document with its defaults filled in.',
        content: {
          schema: z.object({ valid: z.literal(true), campaign: z.record(z.unknown()) }),
          examples: { valid: { valid: true, campaign: cartAbandon } },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}',
    tag: 'Campaigns',
    summary: 'One campaign',
    request: { params: idParams },
    responses: { 200: { description: 'The campaign.', content: { schema: storedCampaignSchema, examples: { stored } } } },
    errors: { 404: [{ code: 'not_found', description: 'No campaign with this id.' }] },
  },
  {
    method: 'put',
    path: '/v1/campaigns/{id}',
    tag: 'Campaigns',
    summary: 'Create or change a campaign (a new version when it differs)',
    description:
      "The document's `id` may be left out (the path's is taken); one that differs from the path is refused. Each issue names its field (`message.body`, `trigger.conditions.all[0].operator`).",
    request: { params: idParams, body: { schema: campaignSchema, examples: { cartAbandon } } },
    responses: {
      200: {
        description: 'Saved: `created`, `updated` (a new version) or `unchanged`.',
        content: {
          schema: storedCampaignSchema.extend({ change: z.enum(['created', 'updated', 'unchanged']) }),
          examples: { updated: { change: 'updated', ...stored } },
        },
      },
    },
  },
];
