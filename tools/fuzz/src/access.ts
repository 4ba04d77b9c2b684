import { createHash, createHmac } from 'node:crypto';
import type { HttpRoute } from './routes';

/**
 * What a route demands of its caller, as issue 10 and SPEC §9 state it — written here
 * independently of the services' own markings, so a route marked public by mistake shows
 * up as unauthorised answers rather than passing because it says so.
 * - `public`: anyone (`/health`, `/health/live`, `/health/ready`, `/metrics`, `/c/{code}`, recipient pages `/u/{token}`, the
 *   preference centre `/p/{token}` and the double opt-in confirmation `/o/{token}`, whose
 *   signed token is the credential, subscribe widget pages `/w/{widgetId}` with their
 *   `embed.js`, which grant nothing by themselves, and the API reference `/openapi.json` and
 *   `/docs` with its files).
 * - `signed`: a provider's signature, or the admin key (provider webhooks).
 * - `ingest`: the ingest key or the admin key (`POST /v1/events*`, `GET|PUT /v1/users/{id}`, `POST /segment/v1/*`).
 * - `user`: that user's inbox token, or the admin key (the in-app inbox).
 * - `admin`: the admin key only (everything else, including routes nobody listed).
 */
export type Requirement = 'public' | 'signed' | 'ingest' | 'user' | 'admin';

/** The credential a generated request carries. */
export type Credential =
  | { kind: 'none' }
  | { kind: 'admin' }
  | { kind: 'ingest' }
  /** A per-user inbox token for `userId`, in the header or the `token` query parameter. */
  | { kind: 'user'; userId: string; via: 'header' | 'query' }
  /** Something that is no valid credential: a random key, a key with a byte changed, a token of the wrong form. */
  | { kind: 'wrong'; header: string; value: string };

/** The keys the stack under test runs with. */
export interface FuzzKeys {
  admin: string;
  ingest: string;
  inboxSecret: string;
}

const PUBLIC: RegExp[] = [
  /^GET \/health(\/live|\/ready)?$/,
  /^GET \/metrics$/,
  /^GET \/c\/:[^/]+$/,
  /^(GET|POST) \/u\/:[^/]+$/,
  /^(GET|POST) \/o\/:[^/]+$/,
  /^(GET|POST) \/p\/:[^/]+$/,
  /^GET \/w\/:[^/]+(\/embed\.js)?$/,
  // The API reference: the OpenAPI document and the page rendering it, with its files (no secrets in them).
  /^GET \/openapi\.json$/,
  /^GET \/docs(\/swagger-ui\.css|\/swagger-ui-bundle\.js|\/docs\.js)?$/,
];
const SANDBOX = /^[A-Z]+ \/v1\/providers\/sandbox\//;
const SIGNED = /^[A-Z]+ \/v1\/providers\/:[^/]+\/(status|inbound)$/;
const INGEST: RegExp[] = [
  /^POST \/v1\/events(\/.*)?$/,
  /^(GET|PUT) \/v1\/users\/:[^/]+$/,
  // The Segment-compatible ingest: the write key is an ingest key (Bearer, Basic or the body's writeKey).
  /^POST \/segment\/v1\/(track|identify|page|screen|group|alias|batch|[tipsgab])$/,
];
const USER = /^[A-Z]+ \/v1\/users\/:([^/]+)\/inbox(\/.*)?$/;

/** What `route` demands (see `Requirement`). */
export function requirementOf(route: Pick<HttpRoute, 'method' | 'path'>): Requirement {
  const key = `${route.method} ${route.path}`;
  if (PUBLIC.some((p) => p.test(key))) return 'public';
  if (SANDBOX.test(key)) return 'admin';
  if (SIGNED.test(key)) return 'signed';
  if (INGEST.some((p) => p.test(key))) return 'ingest';
  if (USER.test(key)) return 'user';
  return 'admin';
}

/** The path parameter naming whose inbox a `user` route is. */
export function inboxOwnerParam(route: Pick<HttpRoute, 'path'>): string | null {
  return /\/v1\/users\/:([^/]+)\/inbox/.exec(route.path)?.[1] ?? null;
}

/**
 * Whether `credential` entitles its holder to `route` with these (decoded) path parameter
 * values. A request that is not entitled must be refused (401, 403 or 404).
 */
export function isEntitled(requirement: Requirement, credential: Credential, inboxOwner: string | null): boolean {
  if (requirement === 'public' || credential.kind === 'admin') return true;
  if (requirement === 'ingest') return credential.kind === 'ingest';
  if (requirement === 'user') return credential.kind === 'user' && inboxOwner !== null && credential.userId === inboxOwner;
  return false;
}

/** A user's inbox token: hex HMAC-SHA256 of the user id with NUDGE_INBOX_SECRET (issue 10 §1). */
export function userToken(userId: string, secret: string): string {
  return createHmac('sha256', secret).update(userId).digest('hex');
}

/** A run's keys, derived from its seed so that a repeated run sends the same bytes. */
export function fuzzKeys(seed: number): FuzzKeys {
  const derive = (what: string) => createHash('sha256').update(`nudge-fuzz:${what}:${seed}`).digest('hex').slice(0, 40);
  return { admin: `fza${derive('admin')}`, ingest: `fzi${derive('ingest')}`, inboxSecret: derive('inbox') };
}
