import { parseOrThrow, ValidationError } from '@nudge/contracts';
import { z } from 'zod';
import type { MessageFilter } from './message.store';

export const MAX_LIST_LIMIT = 500;

export const listMessagesQuerySchema = z.object({
  userId: z.string().trim().min(1, 'must not be empty').optional(),
  campaignId: z.string().trim().min(1, 'must not be empty').optional(),
  limit: z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_LIST_LIMIT, `must be at most ${MAX_LIST_LIMIT}`)
    .default(100),
});

/** `GET /v1/messages?userId=&campaignId=&limit=`: at least one of userId and campaignId. */
export function parseListMessagesQuery(query: unknown): MessageFilter {
  const filter = parseOrThrow(listMessagesQuerySchema, query, 'query');
  if (filter.userId === undefined && filter.campaignId === undefined) {
    const message = 'userId or campaignId is required';
    throw new ValidationError(`invalid query: ${message}`, [
      { path: 'userId', message },
      { path: 'campaignId', message },
    ]);
  }
  return filter;
}
