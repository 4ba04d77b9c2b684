import { DECISION_OUTCOMES } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { decisionsQuerySchema } from './decisions.controller';
import { DEFAULT_FUNNEL_SINCE, funnelQuerySchema, MAX_FUNNEL_DAYS, statsQuerySchema } from './stats-window';

/** One line of the decision log (`Decision`): every outcome code of SPEC §6. */
const decisionSchema = z.object({
  campaignId: z.string(),
  campaignVersion: z.number().int(),
  triggerEventId: z.string(),
  stepId: z.string(),
  outcome: z.enum(DECISION_OUTCOMES).describe('SPEC §6: what was decided; `reason` says why.'),
  reason: z.string(),
  at: z.string(),
  scheduledFor: z.string().nullable(),
});

const rate = z.number().nullable();
const group = z.object({ sends: z.number().int(), conversions: z.number().int(), rate });
const funnelStep = z.object({ count: z.number().int(), rate });
const statsSchema = z.object({
  campaignId: z.string(),
  window: z
    .object({ since: z.string(), until: z.string() })
    .nullable()
    .describe('The window counted (decisions by `at`, messages by creation, sends by attribution); null: all time.'),
  outcomes: z.record(z.enum(DECISION_OUTCOMES), z.number().int()).describe('Decisions by outcome code (every code shown, zero or not).'),
  funnel: z.object({ sent: funnelStep, delivered: funnelStep, read: funnelStep, clicked: funnelStep, converted: funnelStep }),
  holdout: z.object({
    treated: group,
    heldOut: group,
    uplift: z
      .object({ absolute: z.number(), ci95: z.tuple([z.number(), z.number()]) })
      .nullable()
      .describe('Treated minus held-out conversion rate, with its 95 % interval; null without both groups.'),
  }),
});

const outcomes = Object.fromEntries(DECISION_OUTCOMES.map((outcome) => [outcome, 0]));
const userParams = z.object({ userId: z.string() });

/** "Why did Ana not get it?": the decision log per user, and per-campaign results. */
export const DECISIONS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/users/{userId}/decisions',
    tag: 'Decisions',
    summary: "A user's decisions, newest first, each with its outcome and reason",
    request: { params: userParams, query: decisionsQuerySchema },
    responses: {
      200: {
        description: 'The decisions.',
        content: {
          schema: z.object({ items: z.array(decisionSchema) }),
          examples: {
            twoOutcomes: {
              items: [
                {
                  campaignId: 'cart-abandon-sms',
                  campaignVersion: 3,
                  triggerEventId: 'evt_01J9Z3',
                  stepId: 'main',
                  outcome: 'sent',
                  reason: 'sent via sms',
                  at: '2026-03-01T10:45:00.000Z',
                  scheduledFor: null,
                },
                {
                  campaignId: 'cart-abandon-sms',
                  campaignVersion: 3,
                  triggerEventId: 'evt_01J9Z3',
                  stepId: 'main',
                  outcome: 'scheduled',
                  reason: 'delay PT30M',
                  at: '2026-03-01T10:15:00.000Z',
                  scheduledFor: '2026-03-01T10:45:00.000Z',
                },
                {
                  campaignId: 'welcome',
                  campaignVersion: 1,
                  triggerEventId: 'evt_01J9Z4',
                  stepId: 'main',
                  outcome: 'no_consent',
                  reason: 'no marketing consent on email',
                  at: '2026-03-01T10:15:00.000Z',
                  scheduledFor: null,
                },
              ],
            },
          },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}/stats',
    tag: 'Decisions',
    summary: "A campaign's outcomes, delivery funnel and holdout uplift, over all time or a window",
    description:
      '`?since=P1D` counts the last 24 h (`sent`, `capped`, `no_consent`, … of the decisions made then, and the funnel of the messages created then).',
    request: { params: z.object({ id: z.string() }), query: statsQuerySchema },
    responses: {
      200: {
        description: 'The counts.',
        content: {
          schema: statsSchema,
          examples: {
            stats: {
              campaignId: 'cart-abandon-sms',
              window: { since: '2026-02-28T10:15:00.000Z', until: '2026-03-01T10:15:00.000Z' },
              outcomes: { ...outcomes, scheduled: 120, sent: 100, capped: 12, no_consent: 8 },
              funnel: {
                sent: { count: 100, rate: 1 },
                delivered: { count: 97, rate: 0.97 },
                read: { count: 40, rate: 0.4 },
                clicked: { count: 12, rate: 0.12 },
                converted: { count: 9, rate: 0.09 },
              },
              holdout: {
                treated: { sends: 100, conversions: 9, rate: 0.09 },
                heldOut: { sends: 10, conversions: 0, rate: 0 },
                uplift: { absolute: 0.09, ci95: [-0.2, 0.16] },
              },
            },
          },
        },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/campaigns/{id}/funnel',
    tag: 'Decisions',
    summary: "A campaign's delivery funnel per day and channel",
    description: `sent → delivered → read → clicked → converted of the messages created each day (UTC) in the window, per channel (a clicked message counts as read and delivered too). Default window the last 30 days (\`${DEFAULT_FUNNEL_SINCE}\`), at most ${MAX_FUNNEL_DAYS} days.`,
    request: { params: z.object({ id: z.string() }), query: funnelQuerySchema },
    responses: {
      200: {
        description: 'One item per day and channel with messages, oldest first.',
        content: {
          schema: z.object({
            campaignId: z.string(),
            since: z.string(),
            until: z.string(),
            items: z.array(
              z.object({
                day: z.string().describe('YYYY-MM-DD (UTC).'),
                channel: z.string(),
                sent: z.number().int(),
                delivered: z.number().int(),
                read: z.number().int(),
                clicked: z.number().int(),
                converted: z.number().int(),
              }),
            ),
          }),
          examples: {
            twoDays: {
              campaignId: 'cart-abandon-sms',
              since: '2026-02-01T00:00:00.000Z',
              until: '2026-03-03T00:00:00.000Z',
              items: [
                { day: '2026-03-01', channel: 'sms', sent: 40, delivered: 39, read: 6, clicked: 6, converted: 3 },
                { day: '2026-03-01', channel: 'whatsapp', sent: 60, delivered: 58, read: 41, clicked: 9, converted: 5 },
                { day: '2026-03-02', channel: 'sms', sent: 35, delivered: 35, read: 4, clicked: 4, converted: 2 },
              ],
            },
          },
        },
      },
    },
  },
];
