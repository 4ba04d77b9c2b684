import type { RouteAccess } from './route-access';
import { isUserToken, sameSecret } from './user-token';

/** The credentials a request carries, as sent. */
export interface PresentedCredentials {
  /** The `Authorization` header. */
  authorization?: string;
  /** `X-Nudge-User-Token`. */
  userTokenHeader?: string;
  /** `?token=` (EventSource cannot send headers). */
  userTokenQuery?: string;
}

/** Who is calling, once the credentials are checked against the configured keys. */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'wrong-key' }
  | { kind: 'key'; scope: 'admin' | 'ingest' }
  | { kind: 'user-token'; token: string; path: string };

/** Let through, or refused with the status and the request field to blame (SPEC error `details[].path`). */
export type AccessDecision = { allowed: true } | { allowed: false; status: 401 | 403 | 404; path: string; message: string };

/** The configured keys (each variable a comma-separated list, so a key can be rotated) and the inbox secret. */
export interface AccessKeys {
  adminKeys: string[];
  ingestKeys: string[];
  inboxSecret?: string;
}

const AUTHORIZATION = 'headers.authorization';
const ALLOWED: AccessDecision = { allowed: true };

/** Splits `a, b,,c` into `['a','b','c']`. */
export function parseKeyList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}

/** Whether any credential is configured: then every non-public route needs one. */
export function authEnabled(keys: AccessKeys): boolean {
  return keys.adminKeys.length > 0 || keys.ingestKeys.length > 0 || keys.inboxSecret !== undefined;
}

/**
 * Who the credentials say the caller is. A bearer key wins over a user token; a key is
 * compared with every configured key in constant time.
 */
export function identify(keys: AccessKeys, presented: PresentedCredentials): Caller {
  if (presented.authorization) {
    const bearer = /^Bearer +(\S+) *$/i.exec(presented.authorization)?.[1];
    if (bearer === undefined) return { kind: 'wrong-key' };
    // Every key is compared, so the time taken does not tell which list (if any) held it.
    const admin = keys.adminKeys.map((key) => sameSecret(key, bearer)).includes(true);
    const ingest = keys.ingestKeys.map((key) => sameSecret(key, bearer)).includes(true);
    if (admin) return { kind: 'key', scope: 'admin' };
    if (ingest) return { kind: 'key', scope: 'ingest' };
    return { kind: 'wrong-key' };
  }
  if (keys.inboxSecret !== undefined) {
    if (presented.userTokenHeader) return { kind: 'user-token', token: presented.userTokenHeader, path: 'headers.x-nudge-user-token' };
    if (presented.userTokenQuery) return { kind: 'user-token', token: presented.userTokenQuery, path: 'query.token' };
  }
  return { kind: 'anonymous' };
}

/**
 * Whether `caller` may call a route of this access (its public and policy exemptions are
 * settled before): the admin key calls everything; the ingest key the routes scoped
 * `ingest`; a user token the routes scoped `user` for its own `userId` only. A wrong or
 * missing credential is a 401; a valid one lacking the scope a 403.
 */
export function decideAccess(keys: AccessKeys, access: Pick<RouteAccess, 'scopes'>, caller: Caller, userId?: string): AccessDecision {
  switch (caller.kind) {
    case 'anonymous':
      return unauthenticated('this route needs a key: send Authorization: Bearer <key>');
    case 'wrong-key':
      return unauthenticated('wrong API key: send Authorization: Bearer <key> with a configured key');
    case 'key':
      if (caller.scope === 'admin' || access.scopes.includes(caller.scope)) return ALLOWED;
      return { allowed: false, status: 403, path: AUTHORIZATION, message: `the ${caller.scope} key may not call this route` };
    case 'user-token': {
      const own =
        access.scopes.includes('user') &&
        keys.inboxSecret !== undefined &&
        userId !== undefined &&
        isUserToken(keys.inboxSecret, userId, caller.token);
      if (own) return ALLOWED;
      return { allowed: false, status: 403, path: caller.path, message: "a user token opens only that user's inbox" };
    }
  }
}

/**
 * A request that matches no route: a 404 only to a caller holding a valid key; anyone else
 * gets the 401 a real route would give, so which routes exist is not revealed.
 */
export function decideUnmatched(caller: Caller, enabled: boolean): AccessDecision {
  if (!enabled || caller.kind === 'key') return { allowed: false, status: 404, path: '(url)', message: 'no such route' };
  return unauthenticated('this route needs a key: send Authorization: Bearer <key>');
}

function unauthenticated(message: string): AccessDecision {
  return { allowed: false, status: 401, path: AUTHORIZATION, message };
}
