import { CAMPAIGN_STATUSES } from '@nudge/campaigns';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { rollbackRequestSchema, versionParamsSchema, versionsQuerySchema } from './campaign-versions';
import { cartAbandon, storedCampaignSchema } from './campaigns.openapi';

const summarySchema = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  source: z
    .string()
    .describe(
      'Where the version came from: `api`, `file:<path>`, `api:rollback:v<n>` (the version it restored), `api:pause`, `api:activate`.',
    ),
  checksum: z.string().describe('Of the document: two versions with the same checksum hold the same document.'),
  status: z.enum(CAMPAIGN_STATUSES),
  trigger: z.string().nullable().describe("The trigger's event name."),
  name: z.string(),
  journey: z.boolean().describe('A journey (`steps`) rather than one message.'),
});
const pageSchema = z.object({
  campaignId: z.string(),
  current: z.number().int().describe('The running version.'),
  items: z.array(summarySchema).describe('Newest first.'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null on the last one.'),
});
const versionSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  document: z.record(z.unknown()),
  source: z.string(),
  checksum: z.string(),
  createdAt: z.string(),
});
const savedSchema = storedCampaignSchema.extend({ change: z.enum(['created', 'updated', 'unchanged']) });

const summary = (version: number, source: string, status: (typeof CAMPAIGN_STATUSES)[number]) => ({
  version,
  createdAt: `2026-03-0${version}T10:15:00.000Z`,
  source,
  checksum: `9f2c…${version}`,
  status,
  trigger: 'cart_abandoned',
  name: 'Abandoned cart nudge',
  journey: false,
});
const idParams = z.object({ id: z.string() });
const noCampaign = { code: 'not_found', description: 'No campaign with this id.' };
const saved = (change: string, version: number, source: string, status: string) => ({
  change,
  id: 'cart-abandon-sms',
  version,
  document: { ...cartAbandon, status },
  source,
  updatedAt: '2026-03-04T10:15:00.000Z',
});

/** A campaign's version history, rollback, pause and activate. */
export const CAMPAIGN_VERSIONS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/campaigns/{id}/versions',
    tag: 'Campaigns',
    summary: "A campaign's versions, newest first",
    description: 'Every version ever saved (history is append-only: a rollback or a pause is a new version), paged by `cursor`.',
    request: { params: idParams, query: versionsQuerySchema },
    responses: {
      200: {
        description: 'One page of the history.',
        content: {
          schema: pageSchema,
          examples: {
            page: {
              campaignId: 'cart-abandon-sms',
              current: 3,
              items: [summary(3, 'api:pause', 'paused'), summary(2, 'api', 'active')],
              nextCursor: '2',
            },
          },
        },
      },
    },
    errors: { 404: [noCampaign] },
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}/versions/{version}',
    tag: 'Campaigns',
    summary: 'One version of a campaign, with its document',
    request: { params: versionParamsSchema },
    responses: {
      200: {
        description: 'The version.',
        content: {
          schema: versionSchema,
          examples: {
            version: {
              id: 'cart-abandon-sms',
              version: 2,
              document: cartAbandon,
              source: 'api',
              checksum: '9f2c…2',
              createdAt: '2026-03-02T10:15:00.000Z',
            },
          },
        },
      },
    },
    errors: { 404: [noCampaign, { code: 'not_found', description: 'The campaign has no such version.' }] },
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/rollback',
    tag: 'Campaigns',
    summary: "Run an earlier version's document again (saved as a new version)",
    description:
      'The document of `version` is validated and saved as the next version (`source` `api:rollback:v<n>`); every rules instance runs it from its next batch of events. A document that no longer validates is refused with each field named.',
    request: { params: idParams, body: { schema: rollbackRequestSchema, examples: { toVersion2: { version: 2 } } } },
    responses: {
      200: {
        description: 'The new version.',
        content: { schema: savedSchema, examples: { rolledBack: saved('updated', 4, 'api:rollback:v2', 'active') } },
      },
    },
    errors: {
      404: [noCampaign, { code: 'not_found', description: 'The campaign has no such version.' }],
      409: [{ code: 'conflict', description: "That version's document is the one running now.", path: 'version' }],
    },
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/pause',
    tag: 'Campaigns',
    summary: 'Pause a campaign (a new version with status paused)',
    description:
      'New triggers are decided `campaign_inactive` from then on. Idempotent: a paused campaign answers `unchanged` and gets no new version.',
    request: { params: idParams },
    responses: {
      200: {
        description: '`updated` (a new version) or `unchanged`.',
        content: { schema: savedSchema, examples: { paused: saved('updated', 3, 'api:pause', 'paused') } },
      },
    },
    errors: { 404: [noCampaign] },
  },
  {
    method: 'post',
    path: '/v1/campaigns/{id}/activate',
    tag: 'Campaigns',
    summary: 'Activate a paused or archived campaign (a new version with status active)',
    description: 'Idempotent: an active campaign answers `unchanged` and gets no new version.',
    request: { params: idParams },
    responses: {
      200: {
        description: '`updated` (a new version) or `unchanged`.',
        content: { schema: savedSchema, examples: { activated: saved('updated', 4, 'api:activate', 'active') } },
      },
    },
    errors: { 404: [noCampaign] },
  },
];
