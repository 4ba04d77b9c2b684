import fc from 'fast-check';
import { type Credential, type FuzzKeys, inboxOwnerParam, isEntitled, type Requirement, requirementOf, userToken } from './access';
import { aimedBody, anyBody, everyNamedHostileDocument, FUZZ_USERS, mustBeRefused, mutated, validBody } from './bodies';
import { deepJson, hugeJson } from './hostile-values';
import { fillPath, hostileParam, hostileQuery, PATH_VARIANTS, plausibleParam, spellPath } from './paths';
import { type HttpRoute, paramsOf, type ServiceName } from './routes';

/** What a generated request tries. */
export type RequestKind = 'valid' | 'no-credential' | 'auth' | 'path-variant' | 'hostile-body' | 'hostile-param' | 'raw-body' | 'unrouted';

/** One generated request, as sent on the wire, with what the oracle needs to judge its answer. */
export interface FuzzRequest {
  kind: RequestKind;
  service: ServiceName;
  method: string;
  /** Path and query exactly as sent. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The route aimed at (`PUT /v1/campaigns/:id`), or `(no route)`. */
  route: string;
  requirement: Requirement;
  /** Whether its credential entitles it to the route: if not, it must be refused. */
  entitled: boolean;
  /** A document issue 10 says must be refused (hostile settings, a scripted condition path). */
  mustRefuse?: boolean;
}

interface Aim {
  route: HttpRoute;
  params: Record<string, string>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Too deep or too big for the limits (depth 8, 32 KB, 256 keys, the 5 MB body limit), built once and shared by the requests that send them. */
const OVERSIZED_BODIES: readonly string[] = [
  ...[9, 100, 1_000, 5_000].flatMap((depth) => [deepJson(depth, 'array'), deepJson(depth, 'object')]),
  ...[33_000, 200_000].flatMap((bytes) => [hugeJson(bytes, 'string'), hugeJson(bytes, 'keys')]),
  hugeJson(6 * 1024 * 1024, 'string'),
];

/** Credentials that never entitle anyone: unknown keys, near misses of the real ones, tokens of the wrong form. */
function wrongCredentials(keys: FuzzKeys): Credential[] {
  const flip = (key: string) => `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;
  return [
    { kind: 'wrong', header: 'authorization', value: 'Bearer not-a-key' },
    { kind: 'wrong', header: 'authorization', value: `Bearer ${flip(keys.admin)}` },
    { kind: 'wrong', header: 'authorization', value: `Bearer ${keys.admin.slice(0, keys.admin.length / 2)}` },
    { kind: 'wrong', header: 'authorization', value: `Bearer ${keys.admin.toUpperCase()}` },
    { kind: 'wrong', header: 'authorization', value: `Bearer ${keys.admin}x` },
    { kind: 'wrong', header: 'authorization', value: `Bearer ${flip(keys.admin)},${keys.ingest}x` },
    { kind: 'wrong', header: 'authorization', value: 'Bearer ' },
    { kind: 'wrong', header: 'authorization', value: `Basic ${Buffer.from('nobody:nothing').toString('base64')}` },
    { kind: 'wrong', header: 'authorization', value: `Basic ${Buffer.from(`${flip(keys.ingest)}:`).toString('base64')}` },
    { kind: 'wrong', header: 'x-api-key', value: flip(keys.admin) },
    { kind: 'wrong', header: 'x-nudge-user-token', value: userToken(FUZZ_USERS[0] as string, `${keys.inboxSecret}-not`) },
    { kind: 'wrong', header: 'x-nudge-user-token', value: userToken(FUZZ_USERS[0] as string, keys.inboxSecret).slice(0, 32) },
    { kind: 'wrong', header: 'x-nudge-user-token', value: 'deadbeef' },
    { kind: 'wrong', header: 'x-nudge-user-token', value: keys.admin },
  ];
}

/** The headers and query a credential travels in. */
function carry(credential: Credential, keys: FuzzKeys): { headers: Record<string, string>; query?: string } {
  switch (credential.kind) {
    case 'none':
      return { headers: {} };
    case 'admin':
      return { headers: { authorization: `Bearer ${keys.admin}` } };
    case 'ingest':
      return { headers: { authorization: `Bearer ${keys.ingest}` } };
    case 'user': {
      const token = userToken(credential.userId, keys.inboxSecret);
      return credential.via === 'header' ? { headers: { 'x-nudge-user-token': token } } : { headers: {}, query: `token=${token}` };
    }
    case 'wrong':
      return { headers: { [credential.header]: credential.value } };
  }
}

/** Every credential someone could present to a route, including ones that entitle them. */
function anyCredential(keys: FuzzKeys, owner: string | null): fc.Arbitrary<Credential> {
  return fc.oneof(
    fc.constant<Credential>({ kind: 'none' }),
    fc.constant<Credential>({ kind: 'admin' }),
    fc.constant<Credential>({ kind: 'ingest' }),
    fc.record({
      kind: fc.constant('user' as const),
      userId: owner ? fc.constantFrom(owner, ...FUZZ_USERS) : fc.constantFrom(...FUZZ_USERS),
      via: fc.constantFrom('header' as const, 'query' as const),
    }),
    fc.constantFrom(...wrongCredentials(keys)),
  );
}

/** A credential that entitles its holder to the route, preferring the narrowest (ingest key, user token). */
function entitledCredential(requirement: Requirement, owner: string | null, stream: boolean): fc.Arbitrary<Credential> {
  const admin = fc.constant<Credential>({ kind: 'admin' });
  if (requirement === 'ingest') return fc.oneof(admin, fc.constant<Credential>({ kind: 'ingest' }));
  if (requirement === 'user' && owner) {
    return fc.oneof(admin, fc.constant<Credential>({ kind: 'user', userId: owner, via: stream ? 'query' : 'header' }));
  }
  return admin;
}

function aimAt(routes: HttpRoute[], hostileParams: boolean): fc.Arbitrary<Aim> {
  return fc.constantFrom(...routes).chain((route) => {
    const names = paramsOf(route.path);
    if (names.length === 0) return fc.constant({ route, params: {} });
    const values = names.map((name) =>
      hostileParams ? fc.oneof(hostileParam, plausibleParam(name, route.path)) : plausibleParam(name, route.path),
    );
    return fc.tuple(...values).map((vs) => ({ route, params: Object.fromEntries(names.map((n, i) => [n, vs[i] as string])) }));
  });
}

interface Draft {
  kind: RequestKind;
  aim: Aim;
  credential: Credential;
  method?: string;
  variant?: (typeof PATH_VARIANTS)[number];
  query?: string;
  body?: string;
  headers?: Record<string, string>;
  mustRefuse?: boolean;
}

/** Turns a draft into the wire request, deciding whether its credential entitles it. */
function build(draft: Draft, keys: FuzzKeys): FuzzRequest {
  const { route, params } = draft.aim;
  const requirement = requirementOf(route);
  const ownerParam = inboxOwnerParam(route);
  const owner = ownerParam ? (params[ownerParam] ?? null) : null;
  const carried = carry(draft.credential, keys);
  const query = [draft.query, carried.query].filter(Boolean).join('&');
  const path = spellPath(fillPath(route.path, params), draft.variant ?? 'exact') + (query ? `?${query}` : '');
  return {
    kind: draft.kind,
    service: route.service,
    method: draft.method ?? route.method,
    path,
    headers: { ...(draft.body !== undefined ? JSON_TYPE : {}), ...carried.headers, ...draft.headers },
    ...(draft.body !== undefined ? { body: draft.body } : {}),
    route: `${route.method} ${route.path}`,
    requirement,
    entitled: isEntitled(requirement, draft.credential, owner),
    ...(draft.mustRefuse ? { mustRefuse: true } : {}),
  };
}

const ownerOf = (aim: Aim) => {
  const param = inboxOwnerParam(aim.route);
  return param ? (aim.params[param] ?? null) : null;
};

const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

/** A request that should succeed: the narrowest entitled credential, a valid body, the exact path. */
function validRequest(aim: Aim): fc.Arbitrary<Draft> {
  const requirement = requirementOf(aim.route);
  const body = validBody(aim.route.method, aim.route.path, aim.params);
  const query =
    aim.route.path === '/v1/messages' ? fc.constantFrom(`userId=${FUZZ_USERS[0]}`, 'campaignId=fz-c0&limit=5') : fc.constant(undefined);
  return fc
    .tuple(entitledCredential(requirement, ownerOf(aim), aim.route.path.endsWith('/stream')), body ?? fc.constant(undefined), query)
    .map(([credential, b, q]) => ({ kind: 'valid', aim, credential, body: json(b), ...(q ? { query: q } : {}) }));
}

/** The route's own request without any credential. */
function bareRequest(aim: Aim): fc.Arbitrary<Draft> {
  const body = validBody(aim.route.method, aim.route.path, aim.params);
  return (body ?? fc.constant(undefined)).map((b) => ({ kind: 'no-credential', aim, credential: { kind: 'none' }, body: json(b) }));
}

/** Any credential (mostly not entitling), any method the router might answer, valid body. */
function authProbe(aim: Aim, keys: FuzzKeys): fc.Arbitrary<Draft> {
  const methods = aim.route.method === 'GET' ? ['GET', 'HEAD', 'OPTIONS'] : [aim.route.method, 'OPTIONS'];
  const body = validBody(aim.route.method, aim.route.path, aim.params) ?? fc.constant(undefined);
  return fc.tuple(anyCredential(keys, ownerOf(aim)), fc.constantFrom(...methods), body).map(([credential, method, b]) => ({
    kind: 'auth',
    aim,
    credential,
    method,
    body: method === aim.route.method ? json(b) : undefined,
  }));
}

/** The route spelled another way (case, encoding, dot segments, slashes), any credential and method. */
function pathVariant(aim: Aim, keys: FuzzKeys): fc.Arbitrary<Draft> {
  const methods = aim.route.method === 'GET' ? ['GET', 'HEAD', 'OPTIONS'] : [aim.route.method, 'OPTIONS'];
  const body = validBody(aim.route.method, aim.route.path, aim.params) ?? fc.constant(undefined);
  return fc
    .tuple(
      anyCredential(keys, ownerOf(aim)),
      fc.constantFrom(...PATH_VARIANTS.filter((v) => v !== 'exact')),
      fc.constantFrom(...methods),
      body,
    )
    .map(([credential, variant, method, b]) => ({
      kind: 'path-variant',
      aim,
      credential,
      variant,
      method,
      body: method === aim.route.method ? json(b) : undefined,
    }));
}

/** An entitled request whose body is wrong: mutated, aimed at the route's parser, or anything at all. */
function hostileBody(aim: Aim): fc.Arbitrary<Draft> {
  const { method, path } = aim.route;
  const valid = validBody(method, path, aim.params) ?? fc.constant({});
  const aimed = aimedBody(method, path, aim.params);
  const body = fc.oneof(
    { weight: 3, arbitrary: mutated(valid) },
    { weight: aimed ? 4 : 0, arbitrary: aimed ?? fc.constant({}) },
    { weight: 1, arbitrary: anyBody },
  );
  const requirement = requirementOf(aim.route);
  return fc.tuple(entitledCredential(requirement, ownerOf(aim), path.endsWith('/stream')), body).map(([credential, b]) => ({
    kind: 'hostile-body',
    aim,
    credential,
    body: json(b) ?? 'null',
    mustRefuse: mustBeRefused(method, path, b),
  }));
}

/** An entitled request with hostile parameters or query. */
function hostileParamRequest(aim: Aim): fc.Arbitrary<Draft> {
  const body = validBody(aim.route.method, aim.route.path, aim.params) ?? fc.constant(undefined);
  return fc
    .tuple(
      entitledCredential(requirementOf(aim.route), ownerOf(aim), aim.route.path.endsWith('/stream')),
      body,
      fc.option(hostileQuery, { nil: undefined }),
    )
    .map(([credential, b, query]) => ({ kind: 'hostile-param', aim, credential, body: json(b), ...(query ? { query } : {}) }));
}

/** Bytes that are no JSON document, or one too deep or too big, or the wrong content type. */
function rawBody(aim: Aim): fc.Arbitrary<Draft> {
  const raw = fc.oneof(
    fc.constantFrom(
      '{',
      '{"a":',
      '[1,2',
      'nul',
      '{"a":1}{"b":2}',
      '\u0000',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '\ufeff{}',
      '{"__proto__":{"x":1}}',
    ),
    fc.constantFrom(...OVERSIZED_BODIES),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=utf-16',
  );
  return fc.tuple(entitledCredential(requirementOf(aim.route), ownerOf(aim), false), raw, contentType).map(([credential, body, type]) => ({
    kind: 'raw-body',
    aim,
    credential,
    body,
    headers: { 'content-type': type },
  }));
}

/** A request for a route that does not exist (it must be refused like any other non-public one). */
function unrouted(routes: HttpRoute[], keys: FuzzKeys): fc.Arbitrary<Draft> {
  const services = [...new Set(routes.map((r) => r.service))];
  const paths = [
    '/',
    '/v1',
    '/v1/',
    '/v2/settings',
    '/.env',
    '/admin',
    '/v1/users',
    '/v1/users/fz-u0/inbox/../../../settings',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/v1/campaigns/fz-c0/delete',
    '/metrics/x',
    '/health/../v1/settings',
  ];
  return fc
    .tuple(
      fc.constantFrom(...services),
      fc.constantFrom(...paths),
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      anyCredential(keys, null),
    )
    .map(([service, path, method, credential]) => ({
      kind: 'unrouted',
      aim: { route: { service, method, path }, params: {} },
      credential,
      method,
    }));
}

/**
 * Every kind of request the run sends, in these shares: a quarter valid and entitled, the
 * rest probing authentication, path spellings, bodies, parameters and unknown routes.
 */
export function requestArbitrary(routes: HttpRoute[], keys: FuzzKeys): fc.Arbitrary<FuzzRequest> {
  const plain = aimAt(routes, false);
  const hostile = aimAt(routes, true);
  const withBodies = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
  const drafts = fc.oneof(
    { weight: 25, arbitrary: plain.chain(validRequest) },
    { weight: 18, arbitrary: plain.chain((aim) => authProbe(aim, keys)) },
    { weight: 12, arbitrary: plain.chain((aim) => pathVariant(aim, keys)) },
    { weight: 25, arbitrary: plain.chain(hostileBody) },
    { weight: 10, arbitrary: hostile.chain(hostileParamRequest) },
    { weight: withBodies.length ? 5 : 0, arbitrary: aimAt(withBodies.length ? withBodies : routes, false).chain(rawBody) },
    { weight: 5, arbitrary: unrouted(routes, keys) },
  );
  return drafts.map((draft) => build(draft, keys));
}

/**
 * One request without a credential and one valid entitled request per route, and each named
 * hostile document (Liquid bombs, condition paths, settings) once with the admin key, so
 * every route and every named attack is tried whatever the sample; then generated ones
 * from `seed`, `count` in all.
 */
export function generateRequests(routes: HttpRoute[], keys: FuzzKeys, seed: number, count: number): FuzzRequest[] {
  const firstPass = routes.flatMap((route, i) => {
    const aim = fc.sample(aimAt([route], false), { seed: seed + i, numRuns: 1 })[0] as Aim;
    return [
      ...fc.sample(bareRequest(aim), { seed: seed + i, numRuns: 1 }),
      ...fc.sample(validRequest(aim), { seed: seed + i, numRuns: 1 }),
      ...everyNamedHostileDocument(route.method, route.path, aim.params).map((document): Draft => ({
        kind: 'hostile-body',
        aim,
        credential: { kind: 'admin' },
        body: JSON.stringify(document),
        mustRefuse: mustBeRefused(route.method, route.path, document),
      })),
    ].map((draft) => build(draft, keys));
  });
  const rest = Math.max(0, count - firstPass.length);
  return [...firstPass, ...(rest > 0 ? fc.sample(requestArbitrary(routes, keys), { seed, numRuns: rest }) : [])].slice(
    0,
    Math.max(count, 0),
  );
}
