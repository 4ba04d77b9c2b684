import { CHANNELS } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { suppressionsQuerySchema } from './suppressions.query';

const suppressionSchema = z.object({
  channel: z.enum(CHANNELS),
  address: z.string(),
  suppressed: z.boolean(),
  keyword: z.string().nullable().describe('The keyword that stopped it (STOP, BAJA…), if a reply did.'),
  source: z.string().nullable(),
  changedAt: z.string().nullable(),
});

/** `GET /v1/suppressions` (SPEC §9 "Opt-out by address"), admin key only. */
export const SUPPRESSIONS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/suppressions',
    tag: 'Suppressions',
    summary: 'Whether marketing to an address on a channel is stopped (STOP replies, channel opt-outs)',
    request: { query: suppressionsQuerySchema },
    responses: {
      200: {
        description: 'The address keyed as a STOP sender is (E.164, e-mail lower-cased), and its state.',
        content: {
          schema: suppressionSchema,
          examples: {
            stopped: {
              channel: 'sms',
              address: '+34600000000',
              suppressed: true,
              keyword: 'STOP',
              source: 'inbound',
              changedAt: '2026-03-02T09:00:00.000Z',
            },
            never: { channel: 'email', address: 'ana@example.com', suppressed: false, keyword: null, source: null, changedAt: null },
          },
        },
      },
    },
  },
];
