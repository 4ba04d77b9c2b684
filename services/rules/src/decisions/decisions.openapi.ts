import { DECISION_OUTCOMES } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { decisionsQuerySchema } from './decisions.controller';

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
    summary: "A campaign's outcomes, delivery funnel and holdout uplift",
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: {
        description: 'The counts.',
        content: {
          schema: statsSchema,
          examples: {
            stats: {
              campaignId: 'cart-abandon-sms',
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
];
