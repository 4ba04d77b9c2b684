import type { CampaignStatus } from '@nudge/campaigns';
import { parseOrThrow, parseRequestOrThrow } from '@nudge/contracts';
import { z } from 'zod';

/** The longest page of a campaign's history. */
export const MAX_VERSIONS_PAGE = 500;

/** `GET /v1/campaigns/{id}/versions?limit=&cursor=`: `limit` 1–500 (default 50), `cursor` a page's `nextCursor`. */
export const versionsQuerySchema = z
  .object({
    limit: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_VERSIONS_PAGE, `must be at most ${MAX_VERSIONS_PAGE}`)
      .default(50),
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,8}$/, "must be a page's nextCursor")
      .optional(),
  })
  .strict();

const versionNumber = z.coerce
  .number({ invalid_type_error: 'must be a version number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(2_147_483_647, 'must be a version number');

/** The path of `GET /v1/campaigns/{id}/versions/{version}`. */
export const versionParamsSchema = z.object({
  id: z.string(),
  version: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .describe('A version number (1, 2, …).'),
});

/** The body of `POST /v1/campaigns/{id}/rollback`: the version whose document becomes the running one again. */
export const rollbackRequestSchema = z
  .object({
    version: z.number({ required_error: 'is required', invalid_type_error: 'must be a version number' }).pipe(versionNumber),
  })
  .strict();

/** The page a history query asks for, or a 400 naming `query.limit` / `query.cursor`. */
export function versionsPageOf(query: unknown): { limit: number; before?: number } {
  const { limit, cursor } = parseRequestOrThrow(versionsQuerySchema, query ?? {}, 'query', ['query']);
  return cursor === undefined ? { limit } : { limit, before: Number(cursor) };
}

/** The version named in the path, or a 400 naming `version`. */
export function versionOf(raw: string): number {
  return parseOrThrow(versionNumber, raw, 'version', ['version']);
}

/** The version a rollback asks for, or a 400 naming `version` (or the unknown field). */
export function rollbackVersionOf(body: unknown): number {
  return parseRequestOrThrow(rollbackRequestSchema, body ?? {}, 'rollback request').version;
}

/**
 * The document with `status` set, or null when it already has it (pause and activate store a
 * new version only for a change). A document saved before `status` had a default is active.
 */
export function withStatus(document: Record<string, unknown>, status: CampaignStatus): Record<string, unknown> | null {
  return (document.status ?? 'active') === status ? null : { ...document, status };
}
