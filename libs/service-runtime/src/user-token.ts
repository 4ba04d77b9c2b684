import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An end user's inbox token: hex `HMAC-SHA256` keyed with `NUDGE_INBOX_SECRET` over the
 * user id (UTF-8) — the scheme Novu calls subscriber hash. The app's backend computes it
 * and hands it to that user's client.
 */
export function userToken(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Whether `presented` is the token of `userId`, compared in constant time. */
export function isUserToken(secret: string, userId: string, presented: string): boolean {
  return sameSecret(userToken(secret, userId), presented);
}

/** Constant-time equality of two secrets (a length mismatch answers false at once: lengths are not secret). */
export function sameSecret(expected: string, presented: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
