import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { deadLettersQuerySchema, MAX_REPLAY_LETTERS, MAX_REPLAY_SPAN, replayRequestSchema } from './dead-letter-requests';
import { VALUE_CHARS_SHOWN } from './dead-letter-view';

const letterSchema = z.object({
  partition: z.number().int(),
  offset: z.string(),
  key: z.string().nullable(),
  timestamp: z.string().nullable().describe('When the DLQ took it.'),
  error: z.string().nullable().describe('Why it failed (`nudge-error`); a validation error names the field.'),
  errorKind: z.string().nullable().describe('`nudge-error-kind`: `invalid_record`, `handler_failed`, …'),
  failedAt: z.string().nullable(),
  source: z
    .object({ topic: z.string(), partition: z.number().int().nullable(), offset: z.string().nullable() })
    .nullable()
    .describe('Where it came from (null: the letter does not say, and cannot be replayed).'),
  headers: z.record(z.string()).describe("The record's own headers (not the DLQ's)."),
  value: z.string().nullable().describe(`The value as text, at most ${VALUE_CHARS_SHOWN} characters.`),
  valueBytes: z.number().int(),
  valueTruncated: z.boolean(),
  replayed: z
    .union([
      z.object({ by: z.literal('api'), at: z.string(), to: z.string(), times: z.number().int() }),
      z.object({ by: z.literal('cli') }),
    ])
    .nullable()
    .describe('Replayed through `POST /v1/dead-letters/replay` (when, where to, how often) or by `nudge dlq replay`; null: never.'),
});

const letter = {
  partition: 0,
  offset: '12',
  key: 'ana',
  timestamp: '2026-03-01T10:15:00.120Z',
  error: 'invalid record: timestamp: must be an ISO-8601 date-time',
  errorKind: 'invalid_record',
  failedAt: '2026-03-01T10:15:00.118Z',
  source: { topic: 'nudge.events.v1', partition: 3, offset: '4711' },
  headers: {},
  value: '{"userId":"ana","name":"cart_abandoned","timestamp":"yesterday"}',
  valueBytes: 63,
  valueTruncated: false,
  replayed: null,
};

/** The dead letters of Nudge's topics: listed and replayed. */
export const DEAD_LETTERS_OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/dead-letters',
    tag: 'Dead letters',
    summary: "A topic's dead letters, oldest first, with the error and whether each was replayed",
    description: 'Reads `<topic>.dlq` from Kafka (bounded: `limit` letters, 10 s). Pass `nextCursor` as `cursor` for the next page.',
    request: { query: deadLettersQuerySchema },
    responses: {
      200: {
        description: 'One page of letters.',
        content: {
          schema: z.object({
            topic: z.string().describe('The DLQ read.'),
            sourceTopic: z.string(),
            items: z.array(letterSchema),
            nextCursor: z.string().nullable().describe('Null when every partition was read to its end.'),
          }),
          examples: { one: { topic: 'nudge.events.v1.dlq', sourceTopic: 'nudge.events.v1', items: [letter], nextCursor: null } },
        },
      },
    },
    errors: { 404: [{ code: 'not_found', description: "The topic's DLQ does not exist on the brokers yet." }] },
  },
  {
    method: 'post',
    path: '/v1/dead-letters/replay',
    tag: 'Dead letters',
    summary: 'Publish dead letters again to the topic each came from (as `nudge dlq replay` does)',
    description: `One letter (\`partition\`, \`offset\`) or up to ${MAX_REPLAY_LETTERS} (\`letters\`, within ${MAX_REPLAY_SPAN} offsets of each other per partition). Each is published unchanged, with its own headers and \`nudge-replayed-from\`, and recorded as replayed. Consumers deduplicate, so a replay never sends a message twice.`,
    request: {
      body: {
        schema: replayRequestSchema,
        examples: {
          one: { topic: 'events', partition: 0, offset: '12' },
          several: {
            topic: 'nudge.events.v1.dlq',
            letters: [
              { partition: 0, offset: 12 },
              { partition: 0, offset: '13' },
            ],
          },
        },
      },
    },
    responses: {
      200: {
        description: 'What was published again, and what was skipped (a letter that does not say where it came from).',
        content: {
          schema: z.object({
            topic: z.string(),
            replayed: z.array(z.object({ partition: z.number().int(), offset: z.string(), to: z.string() })),
            skipped: z.array(z.object({ partition: z.number().int(), offset: z.string(), reason: z.string() })),
          }),
          examples: {
            replayed: { topic: 'nudge.events.v1.dlq', replayed: [{ partition: 0, offset: '12', to: 'nudge.events.v1' }], skipped: [] },
          },
        },
      },
    },
    errors: { 404: [{ code: 'not_found', description: 'No such letter (nothing is published then).' }] },
  },
];
