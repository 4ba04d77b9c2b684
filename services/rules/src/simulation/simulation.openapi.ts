import { DECISION_OUTCOMES } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { MAX_LISTED_DECISIONS, SIMULATION_TIMEOUT_MS } from './campaign-simulation.service';
import { MAX_SIMULATED_EVENTS, simulateRequestSchema } from './simulation-request';

const decisionSchema = z.object({
  at: z.string().describe('Virtual time of the decision.'),
  userId: z.string(),
  campaignId: z.string(),
  triggerEventId: z.string(),
  stepId: z.string().optional(),
  outcome: z.enum(DECISION_OUTCOMES),
  reason: z.string(),
  scheduledFor: z.string().optional(),
  channel: z.string().optional(),
  to: z.string().optional(),
  body: z.string().optional().describe('The rendered message of a `sent` decision.'),
  renderError: z.string().optional().describe('Why dispatch would fail this message (its template does not render).'),
});

const outcomes = Object.fromEntries(DECISION_OUTCOMES.map((o) => [o, 0]));
const campaign = `id: cart-abandon-sms
name: Abandoned cart nudge
trigger: { event: cart_abandoned }
delay: PT30M
exceptions: [ { event: purchase } ]
message: { channel: sms, body: "Hi {{ profile.attributes.firstName }}, your cart is waiting" }
`;

/** "Try before saving". */
export const SIMULATION_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/campaigns/simulate',
    tag: 'Campaigns',
    summary: 'Run a campaign over sample or recent events on virtual time (nothing is saved or sent)',
    description: `The same engine as \`nudge simulate\`, with the settings in force: who would get what, when, and who would not and why. Give the campaign (a document or its YAML/JSON text) or a saved one's \`campaignId\`, and \`events\` (≤ ${MAX_SIMULATED_EVENTS}, each with a timestamp) or \`lastEvents\` (the last n of the events topic). Without \`profiles\`, the stored profiles and address opt-outs of the events' users are used. Only this campaign is simulated; it stops with a 400 after ${SIMULATION_TIMEOUT_MS / 1000} s. Dispatch is not simulated: a fallback never moves on, nothing converts.`,
    request: {
      body: {
        schema: simulateRequestSchema,
        examples: {
          sample: {
            campaign,
            events: [
              { userId: 'ana', name: 'cart_abandoned', timestamp: '2026-03-01T10:00:00Z', properties: { cartId: 'c1' } },
              { userId: 'bo', name: 'cart_abandoned', timestamp: '2026-03-01T10:05:00Z', properties: { cartId: 'c2' } },
              { userId: 'bo', name: 'purchase', timestamp: '2026-03-01T10:20:00Z', properties: { cartId: 'c2' } },
            ],
            profiles: [
              {
                userId: 'ana',
                attributes: { firstName: 'Ana' },
                channels: { sms: { address: '+34600000001', consent: { marketing: true } } },
              },
              { userId: 'bo', channels: { sms: { address: '+34600000002', consent: { marketing: true } } } },
            ],
          },
          recent: { campaignId: 'cart-abandon-sms', lastEvents: 1000 },
        },
      },
    },
    responses: {
      200: {
        description: 'Every decision, in virtual-time order, and their counts.',
        content: {
          schema: z.object({
            campaignId: z.string(),
            campaignVersion: z.number().int().nullable().describe('The saved version simulated; null for a document.'),
            events: z.number().int(),
            eventsSkipped: z.number().int().describe('Records of the events topic that were not events (`lastEvents`).'),
            users: z.number().int(),
            outcomes: z.record(z.enum(DECISION_OUTCOMES), z.number().int()),
            decisions: z.array(decisionSchema).describe(`At most ${MAX_LISTED_DECISIONS}.`),
            decisionsTruncated: z.boolean(),
          }),
          examples: {
            sample: {
              campaignId: 'cart-abandon-sms',
              campaignVersion: null,
              events: 3,
              eventsSkipped: 0,
              users: 2,
              outcomes: { ...outcomes, scheduled: 2, sent: 1, cancelled_exception: 1 },
              decisions: [
                {
                  at: '2026-03-01T10:00:00.000Z',
                  userId: 'ana',
                  campaignId: 'cart-abandon-sms',
                  triggerEventId: 'event-1',
                  outcome: 'scheduled',
                  reason: 'delay PT30M',
                  scheduledFor: '2026-03-01T10:30:00.000Z',
                },
                {
                  at: '2026-03-01T10:20:00.000Z',
                  userId: 'bo',
                  campaignId: 'cart-abandon-sms',
                  triggerEventId: 'event-2',
                  outcome: 'cancelled_exception',
                  reason: 'purchase arrived before the send',
                },
                {
                  at: '2026-03-01T10:30:00.000Z',
                  userId: 'ana',
                  campaignId: 'cart-abandon-sms',
                  triggerEventId: 'event-1',
                  outcome: 'sent',
                  reason: 'sent via sms',
                  channel: 'sms',
                  to: '+34600000001',
                  body: 'Hi Ana, your cart is waiting',
                },
              ],
              decisionsTruncated: false,
            },
          },
        },
      },
    },
    errors: { 404: [{ code: 'not_found', description: 'No campaign with this campaignId.', path: 'campaignId' }] },
  },
];
