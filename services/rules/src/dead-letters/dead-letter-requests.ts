import { parseRequestOrThrow, ValidationError } from '@nudge/contracts';
import { z } from 'zod';

/** The longest page of `GET /v1/dead-letters`. */
export const MAX_DEAD_LETTERS_PAGE = 200;
/** The most letters one replay request names. */
export const MAX_REPLAY_LETTERS = 100;
/** How far apart (in offsets, per partition) the letters of one replay request may lie: what is read to find them. */
export const MAX_REPLAY_SPAN = 1_000;

/** A topic name as Kafka allows it (249 characters of `[a-zA-Z0-9._-]`). */
const topicSchema = z
  .string({ required_error: 'is required', invalid_type_error: 'must be a topic name' })
  .trim()
  .min(1, 'must not be empty')
  .max(249, 'must be at most 249 characters')
  .regex(/^[a-zA-Z0-9._-]+$/, 'must be a Kafka topic name (letters, digits, ".", "_", "-")');

const partitionSchema = z
  .number({ required_error: 'is required', invalid_type_error: 'must be a partition number' })
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(100_000, 'must be a partition number');

/** An offset as a number or as decimal text (Kafka's are 64-bit): answered as text. */
const offsetSchema = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^\d{1,18}$/)], {
    errorMap: () => ({ message: 'must be an offset (a whole number ≥ 0)' }),
  })
  .transform((offset) => String(BigInt(offset)));

/** `GET /v1/dead-letters?topic=&limit=&cursor=`. */
export const deadLettersQuerySchema = z
  .object({
    topic: topicSchema.describe(
      'A Nudge topic key (`events`, `profiles`, `dispatch`, `deliveries`), its name or its DLQ (`nudge.events.v1.dlq`), or an intake topic whose DLQ exists.',
    ),
    limit: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_DEAD_LETTERS_PAGE, `must be at most ${MAX_DEAD_LETTERS_PAGE}`)
      .default(50),
    cursor: z
      .string()
      .regex(/^\d{1,6}:\d{1,18}(,\d{1,6}:\d{1,18}){0,999}$/, "must be a page's nextCursor")
      .optional()
      .describe("A page's `nextCursor`: where each partition's next page starts."),
  })
  .strict();

const letterRefSchema = z.object({ partition: partitionSchema, offset: offsetSchema });

/** `POST /v1/dead-letters/replay`: one letter (`partition`, `offset`) or several (`letters`). */
export const replayRequestSchema = z
  .object({
    topic: topicSchema,
    partition: partitionSchema.optional(),
    offset: offsetSchema.optional(),
    letters: z
      .array(letterRefSchema)
      .min(1, 'must name at least one letter')
      .max(MAX_REPLAY_LETTERS, `must name at most ${MAX_REPLAY_LETTERS} letters`)
      .optional(),
  })
  .strict()
  .superRefine((request, ctx) => {
    const one = request.partition !== undefined || request.offset !== undefined;
    if (one && request.letters)
      ctx.addIssue({ code: 'custom', path: ['letters'], message: 'give letters or partition and offset, not both' });
    else if (!request.letters) {
      if (request.partition === undefined) ctx.addIssue({ code: 'custom', path: ['partition'], message: 'is required (or letters)' });
      if (request.offset === undefined) ctx.addIssue({ code: 'custom', path: ['offset'], message: 'is required (or letters)' });
    }
  });

/** A letter named by a replay request. */
export interface LetterRef {
  partition: number;
  offset: string;
}

export interface DeadLettersQuery {
  topic: string;
  limit: number;
  /** Where each partition's page starts (absent partitions: at the start of their log). */
  from: Map<number, string>;
}

/** The list query, or a 400 naming `query.topic`, `query.limit` or `query.cursor`. */
export function deadLettersQueryOf(query: unknown): DeadLettersQuery {
  const { topic, limit, cursor } = parseRequestOrThrow(deadLettersQuerySchema, query ?? {}, 'query', ['query']);
  return { topic, limit, from: cursor === undefined ? new Map() : cursorPositions(cursor) };
}

/** The replay request, or a 400 naming each bad field; letters in the order given, each once. */
export function replayRequestOf(body: unknown): { topic: string; letters: LetterRef[] } {
  const request = parseRequestOrThrow(replayRequestSchema, body ?? {}, 'replay request');
  const letters = request.letters ?? [{ partition: request.partition as number, offset: request.offset as string }];
  const unique = [...new Map(letters.map((l) => [`${l.partition}:${l.offset}`, l])).values()];
  for (const [partition, offsets] of offsetsByPartition(unique)) {
    const span = offsets.reduce((max, o) => (o > max ? o : max)) - offsets.reduce((min, o) => (o < min ? o : min));
    if (span >= BigInt(MAX_REPLAY_SPAN)) {
      throw new ValidationError('invalid replay request: letters too far apart', [
        { path: 'letters', message: `the letters of partition ${partition} must lie within ${MAX_REPLAY_SPAN} offsets of each other` },
      ]);
    }
  }
  return { topic: request.topic, letters: unique };
}

/** The offsets named per partition. */
export function offsetsByPartition(letters: LetterRef[]): Map<number, bigint[]> {
  const by = new Map<number, bigint[]>();
  for (const letter of letters) by.set(letter.partition, [...(by.get(letter.partition) ?? []), BigInt(letter.offset)]);
  return by;
}

/** `partition:offset,…` → where each partition's page starts. */
export function cursorPositions(cursor: string): Map<number, string> {
  return new Map(
    cursor.split(',').map((pair) => {
      const [partition, offset] = pair.split(':');
      return [Number(partition), String(BigInt(offset ?? '0'))];
    }),
  );
}

/** Where each partition's next page starts, as a cursor; null when every partition was read to its end. */
export function nextCursorOf(next: Map<number, string>, ends: Map<number, string>): string | null {
  const more = [...next].some(([partition, offset]) => BigInt(offset) < BigInt(ends.get(partition) ?? '0'));
  if (!more) return null;
  return [...next]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => `${partition}:${offset}`)
    .join(',');
}
