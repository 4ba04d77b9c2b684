import {
  consentProofSchema,
  forbiddenCharacterIn,
  idSchema,
  MAX_CONSENT_HISTORY_PAGE_SIZE,
  profileUpdateSchema,
  type ConsentProof,
  type ProfileUpdate,
} from '@nudge/contracts';
import { z } from 'zod';
import { parseInput, requireJsonObject } from '../common/input-validation';

/** A profile's userId obeys the same rules as an event's, so a user's events and profile always meet. */
export const userIdSchema = idSchema;

/** Where a consent change came from when the caller does not say (`X-Nudge-Source`). */
export const DEFAULT_CONSENT_SOURCE = 'api';
export const SOURCE_HEADER = 'X-Nudge-Source';
const sourceSchema = z
  .string()
  .refine((source) => forbiddenCharacterIn(source) === null, 'must not contain control, line-separator or bidi-control characters')
  .transform((source) => source.trim())
  .pipe(z.string().max(128, 'must be at most 128 characters'));

/** The `{userId}` of a `/v1/users/{userId}` path, or a 400 naming `userId`. */
export function userIdOf(param: unknown): string {
  return parseInput(userIdSchema, param, 'userId', ['userId']);
}

/** A profile update, and the proof of its consent changes the caller gives (`consentProof`). */
export const profileRequestSchema = profileUpdateSchema.extend({ consentProof: consentProofSchema.optional() });

/** The body of `PUT /v1/users/{userId}` without its proof, or a 400 naming each bad or unknown field. */
export function profileUpdateOf(body: unknown): ProfileUpdate {
  return profileRequestOf(body).update;
}

/** The body of `PUT /v1/users/{userId}`: the update and the explicit `consentProof`, or a 400. */
export function profileRequestOf(body: unknown): { update: ProfileUpdate; proof: ConsentProof } {
  const { consentProof, ...update } = parseInput(profileRequestSchema, requireJsonObject(body), 'profile update');
  return { update, proof: consentProof ?? {} };
}

/** Ingest takes a request's proof as dispatch's recipient pages do (moved to contracts so both share it). */
export { consentProofOf, type RequestOrigin } from '@nudge/contracts';

export const historyQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_CONSENT_HISTORY_PAGE_SIZE).default(100),
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,17}$/, "must be a page's nextCursor")
      .optional(),
  })
  .strict();

/** The query of `GET /v1/users/{userId}/consent` (`limit` 1–500, default 100; `cursor`), or a 400. */
export function consentHistoryQueryOf(query: unknown): { limit: number; cursor?: string } {
  return parseInput(historyQuerySchema, query ?? {}, 'consent history query', ['query']);
}

/** The proof-of-consent source: the `X-Nudge-Source` header, else `api`. */
export function consentSourceOf(header: string | undefined): string {
  const source = parseInput(sourceSchema, header ?? '', SOURCE_HEADER, [SOURCE_HEADER]);
  return source === '' ? DEFAULT_CONSENT_SOURCE : source;
}
