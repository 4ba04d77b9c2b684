import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';

const runSchema = z.object({
  runId: z.string(),
  campaignId: z.string(),
  campaignVersion: z.number().int(),
  triggerEventId: z.string(),
  status: z.string().describe('Where the run is: waiting, waiting_for, completed, cancelled…'),
  stepId: z.string().nullable(),
  waitingFor: z.unknown().nullable(),
  dueAt: z.string().nullable(),
  steps: z.array(z.record(z.unknown())).describe('What every step did, in order.'),
  startedAt: z.string(),
  updatedAt: z.string(),
});

/** Where a user is in each journey (the other half of "why did Ana not get it?"). */
export const JOURNEYS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/users/{userId}/journeys',
    tag: 'Decisions',
    summary: "A user's journey runs (the last 100), each with its steps",
    request: { params: z.object({ userId: z.string() }) },
    responses: {
      200: {
        description: 'The runs.',
        content: {
          schema: z.object({ items: z.array(runSchema) }),
          examples: {
            waiting: {
              items: [
                {
                  runId: 'run_5c1e',
                  campaignId: 'welcome-journey',
                  campaignVersion: 2,
                  triggerEventId: 'evt_01J9Z4',
                  status: 'waiting',
                  stepId: 'wait-2d',
                  waitingFor: null,
                  dueAt: '2026-03-03T10:15:00.000Z',
                  steps: [{ stepId: 'welcome', outcome: 'sent', at: '2026-03-01T10:15:00.000Z' }],
                  startedAt: '2026-03-01T10:15:00.000Z',
                  updatedAt: '2026-03-01T10:15:00.000Z',
                },
              ],
            },
          },
        },
      },
    },
  },
];
