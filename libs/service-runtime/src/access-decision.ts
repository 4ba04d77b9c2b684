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
  /** The JSON body's `writeKey` (Segment's clients send it beside Basic auth; read when no Authorization header is sent). */
  bodyWriteKey?: string;
}

/** Who is calling, once the credentials are checked against the configured keys. */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'wrong-key' }
  | { kind: 'key'; scope: 'admin' | 'ingest'; via?: WriteKeyForm }
  | { kind: 'user-token'; token: string; path: string };

/** How a key came when not as `Authorization: Bearer`: as Segment's SDKs send their write key. */
export type WriteKeyForm = 'basic' | 'body';

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
 * Who the credentials say the caller is: the Authorization header (Bearer, or Basic with the
 * key as user name), else a user token, else the body's `writeKey`. A key is compared with
 * every configured key in constant time.
 */
export function identify(keys: AccessKeys, presented: PresentedCredentials): Caller {
  if (presented.authorization) {
    const bearer = /^Bearer +(\S+) *$/i.exec(presented.authorization)?.[1];
    if (bearer !== undefined) return keyCaller(keys, bearer);
    const basic = basicUserName(presented.authorization);
    return basic === undefined ? { kind: 'wrong-key' } : keyCaller(keys, basic, 'basic');
  }
  if (keys.inboxSecret !== undefined) {
    if (presented.userTokenHeader) return { kind: 'user-token', token: presented.userTokenHeader, path: 'headers.x-nudge-user-token' };
    if (presented.userTokenQuery) return { kind: 'user-token', token: presented.userTokenQuery, path: 'query.token' };
  }
  if (presented.bodyWriteKey) return keyCaller(keys, presented.bodyWriteKey, 'body');
  return { kind: 'anonymous' };
}

/** The caller a presented key makes: every key is compared, so the time taken does not tell which list (if any) held it. */
function keyCaller(keys: AccessKeys, presented: string, via?: WriteKeyForm): Caller {
  const admin = keys.adminKeys.map((key) => sameSecret(key, presented)).includes(true);
  const ingest = keys.ingestKeys.map((key) => sameSecret(key, presented)).includes(true);
  const form = via === undefined ? {} : { via };
  if (admin) return { kind: 'key', scope: 'admin', ...form };
  if (ingest) return { kind: 'key', scope: 'ingest', ...form };
  return { kind: 'wrong-key' };
}

/**
 * The user name of `Authorization: Basic base64(user:password)`, Segment's write key (its
 * SDKs send `<writeKey>:`); the password is ignored. Undefined when the header is not that.
 */
function basicUserName(authorization: string): string | undefined {
  const encoded = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(authorization)?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? '' : decoded.slice(0, colon);
  return user === '' ? undefined : user;
}

/**
 * Whether `caller` may call a route of this access (its public and policy exemptions are
 * settled before): the admin key calls everything; the ingest key the routes scoped
 * `ingest`; a user token the routes scoped `user` for its own `userId` only. A wrong or
 * missing credential is a 401; a valid one lacking the scope a 403. A key sent as a Segment write
 * key (Basic, body `writeKey`) opens only the routes that accept one (`@WriteKeyAccepted`): a
 * 401 elsewhere, so each route keeps one credential form and a browser's cached Basic
 * credentials can never reach an admin route.
 */
export function decideAccess(
  keys: AccessKeys,
  access: Pick<RouteAccess, 'scopes' | 'writeKey'>,
  caller: Caller,
  userId?: string,
): AccessDecision {
  switch (caller.kind) {
    case 'anonymous':
      return unauthenticated('this route needs a key: send Authorization: Bearer <key>');
    case 'wrong-key':
      return unauthenticated('wrong API key: send Authorization: Bearer <key> with a configured key');
    case 'key':
      if (caller.via !== undefined && access.writeKey !== true) {
        return unauthenticated('this route takes its key as Authorization: Bearer <key>; Basic and a body writeKey serve /segment/v1 only');
      }
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
