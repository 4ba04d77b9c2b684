import { createHmac } from 'node:crypto';

/** What every user id of an erased user is replaced by starts with this. */
export const ERASED_USER_PREFIX = 'erased:';

/** What a personal text column holds once its user is erased (where NULL is not allowed). */
export const ERASED_VALUE = '[erased]';

/** The failure reason of a message its user's erasure stopped (queued, or still in flight to dispatch). */
export const ERASED_USER_REASON = 'the user was erased';

/**
 * The one-way key of an erased user: `erased:` + HMAC-SHA256(salt, userId) in hex, where the
 * salt is the installation's own (`erasure_salt`). The same user always gets the same key, so
 * per-user counts stay and dispatch can recompute it for a send request; without the salt the
 * key cannot be tested against guessed ids.
 */
export function erasedUserKey(salt: string, userId: string): string {
  if (salt.length === 0) throw new Error('the erasure salt is empty');
  return ERASED_USER_PREFIX + createHmac('sha256', salt).update(userId, 'utf8').digest('hex');
}
