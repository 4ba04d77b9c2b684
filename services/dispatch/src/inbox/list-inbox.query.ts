import { parseOrThrow } from '@nudge/contracts';
import { z } from 'zod';
import type { InboxFilter } from './inbox.store';

export const MAX_INBOX_LIMIT = 500;

export const listInboxQuerySchema = z.object({
  unread: z
    .enum(['true', 'false'], { errorMap: () => ({ message: 'must be true or false' }) })
    .default('false')
    .transform((unread) => unread === 'true'),
  limit: z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_INBOX_LIMIT, `must be at most ${MAX_INBOX_LIMIT}`)
    .default(100),
});

/** `GET /v1/users/{userId}/inbox?unread=&limit=`. */
export function parseListInboxQuery(query: unknown): InboxFilter {
  return parseOrThrow(listInboxQuerySchema, query ?? {}, 'query');
}
