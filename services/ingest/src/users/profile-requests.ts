import { forbiddenCharacterIn, idSchema, profileUpdateSchema, type ProfileUpdate } from '@nudge/contracts';
import { z } from 'zod';
import { parseInput, requireJsonObject } from '../common/input-validation';

/** A profile's userId obeys the same rules as an event's, so a user's events and profile always meet. */
const userIdSchema = idSchema;

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

/** The body of `PUT /v1/users/{userId}`, or a 400 naming each bad or unknown field. */
export function profileUpdateOf(body: unknown): ProfileUpdate {
  return parseInput(profileUpdateSchema, requireJsonObject(body), 'profile update');
}

/** The proof-of-consent source: the `X-Nudge-Source` header, else `api`. */
export function consentSourceOf(header: string | undefined): string {
  const source = parseInput(sourceSchema, header ?? '', SOURCE_HEADER, [SOURCE_HEADER]);
  return source === '' ? DEFAULT_CONSENT_SOURCE : source;
}
