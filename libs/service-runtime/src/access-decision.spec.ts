import { type AccessKeys, authEnabled, decideAccess, decideUnmatched, identify, parseKeyList } from './access-decision';
import { userToken } from './user-token';

const SECRET = 'inbox-secret-0123456789';
const keys: AccessKeys = { adminKeys: ['admin-1', 'admin-2'], ingestKeys: ['ingest-1'], inboxSecret: SECRET };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const adminOnly = { scopes: [] };
const ingestRoute = { scopes: ['ingest' as const] };
const inboxRoute = { scopes: ['user' as const] };
const segmentRoute = { scopes: ['ingest' as const], writeKey: true };
/** `Authorization: Basic base64(user:password)`, as Segment's SDKs send their write key (`<key>:`). */
const basic = (user: string, password = '') => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('parseKeyList', () => {
  it('splits a comma-separated list, dropping blanks', () => {
    expect(parseKeyList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseKeyList(undefined)).toEqual([]);
  });
});

describe('authEnabled', () => {
  it('is on as soon as any credential is configured', () => {
    expect(authEnabled({ adminKeys: [], ingestKeys: [] })).toBe(false);
    expect(authEnabled({ adminKeys: ['a'], ingestKeys: [] })).toBe(true);
    expect(authEnabled({ adminKeys: [], ingestKeys: ['i'] })).toBe(true);
    expect(authEnabled({ adminKeys: [], ingestKeys: [], inboxSecret: SECRET })).toBe(true);
  });
});

describe('identify', () => {
  it('knows each key of a rotation list, admin before ingest', () => {
    expect(identify(keys, bearer('admin-1'))).toEqual({ kind: 'key', scope: 'admin' });
    expect(identify(keys, bearer('admin-2'))).toEqual({ kind: 'key', scope: 'admin' });
    expect(identify(keys, bearer('ingest-1'))).toEqual({ kind: 'key', scope: 'ingest' });
    expect(identify(keys, { authorization: 'bearer admin-1' })).toEqual({ kind: 'key', scope: 'admin' });
  });

  it('calls anything else in Authorization a wrong key', () => {
    for (const authorization of ['Bearer nope', 'Basic YWRtaW4tMQ==', 'admin-1', 'Bearer ', 'Bearer admin-1 admin-2', 'Bearer admin-10']) {
      expect(identify(keys, { authorization })).toEqual({ kind: 'wrong-key' });
    }
  });

  it("reads a Segment write key: Basic's user name (the password ignored), else the body's writeKey", () => {
    expect(identify(keys, basic('ingest-1'))).toEqual({ kind: 'key', scope: 'ingest', via: 'basic' });
    expect(identify(keys, basic('admin-2', 'anything'))).toEqual({ kind: 'key', scope: 'admin', via: 'basic' });
    expect(identify(keys, { bodyWriteKey: 'ingest-1' })).toEqual({ kind: 'key', scope: 'ingest', via: 'body' });
    expect(identify(keys, { ...bearer('admin-1'), bodyWriteKey: 'ingest-1' })).toEqual({ kind: 'key', scope: 'admin' });
    for (const presented of [
      basic('nope'),
      basic(''),
      { authorization: 'Basic !!!' },
      { bodyWriteKey: 'nope' },
      { ...basic('nope'), bodyWriteKey: 'ingest-1' },
    ]) {
      expect(identify(keys, presented)).toEqual({ kind: 'wrong-key' });
    }
  });

  it('takes a user token from the header, else from ?token=, only when an inbox secret is set', () => {
    expect(identify(keys, { userTokenHeader: 't1', userTokenQuery: 't2' })).toMatchObject({ kind: 'user-token', token: 't1' });
    expect(identify(keys, { userTokenQuery: 't2' })).toMatchObject({ kind: 'user-token', token: 't2', path: 'query.token' });
    expect(identify({ ...keys, inboxSecret: undefined }, { userTokenHeader: 't1' })).toEqual({ kind: 'anonymous' });
    expect(identify(keys, {})).toEqual({ kind: 'anonymous' });
  });
});

describe('decideAccess', () => {
  const decide = (route: { scopes: ('ingest' | 'user')[] }, presented: Parameters<typeof identify>[1], userId?: string) =>
    decideAccess(keys, route, identify(keys, presented), userId);

  it('lets the admin key call every route', () => {
    for (const route of [adminOnly, ingestRoute, inboxRoute]) expect(decide(route, bearer('admin-2'), 'ana')).toEqual({ allowed: true });
  });

  it('answers 401 naming the Authorization header to a missing or wrong key', () => {
    expect(decide(adminOnly, {})).toMatchObject({ allowed: false, status: 401, path: 'headers.authorization' });
    expect(decide(ingestRoute, bearer('wrong'))).toMatchObject({ allowed: false, status: 401, path: 'headers.authorization' });
  });

  it('lets the ingest key call ingest routes only: 403 elsewhere', () => {
    expect(decide(ingestRoute, bearer('ingest-1'))).toEqual({ allowed: true });
    expect(decide(adminOnly, bearer('ingest-1'))).toMatchObject({ allowed: false, status: 403, path: 'headers.authorization' });
    expect(decide(inboxRoute, bearer('ingest-1'), 'ana')).toMatchObject({ allowed: false, status: 403 });
  });

  it('lets a key sent as a write key call the routes that accept one, and answers 401 to it elsewhere', () => {
    expect(decide(segmentRoute, basic('ingest-1'))).toEqual({ allowed: true });
    expect(decide(segmentRoute, { bodyWriteKey: 'ingest-1' })).toEqual({ allowed: true });
    expect(decide(segmentRoute, bearer('ingest-1'))).toEqual({ allowed: true });
    expect(decide(segmentRoute, basic('wrong'))).toMatchObject({ allowed: false, status: 401, path: 'headers.authorization' });
    expect(decide(segmentRoute, {})).toMatchObject({ allowed: false, status: 401 });
    expect(decide(ingestRoute, basic('ingest-1'))).toMatchObject({ allowed: false, status: 401, path: 'headers.authorization' });
    expect(decide(adminOnly, basic('admin-1'))).toMatchObject({ allowed: false, status: 401 });
    expect(decide(ingestRoute, { bodyWriteKey: 'admin-1' })).toMatchObject({ allowed: false, status: 401 });
  });

  it("lets a user token open its own user's inbox routes only: 403 for another user or route", () => {
    const ana = { userTokenHeader: userToken(SECRET, 'ana') };
    expect(decide(inboxRoute, ana, 'ana')).toEqual({ allowed: true });
    expect(decide(inboxRoute, { userTokenQuery: userToken(SECRET, 'ana') }, 'ana')).toEqual({ allowed: true });
    expect(decide(inboxRoute, ana, 'bea')).toMatchObject({ allowed: false, status: 403, path: 'headers.x-nudge-user-token' });
    expect(decide(inboxRoute, ana, undefined)).toMatchObject({ allowed: false, status: 403 });
    expect(decide(adminOnly, ana, 'ana')).toMatchObject({ allowed: false, status: 403 });
    expect(decide(ingestRoute, { userTokenQuery: 'forged' }, 'ana')).toMatchObject({ allowed: false, status: 403, path: 'query.token' });
  });
});

describe('decideUnmatched', () => {
  it('answers 404 only to a caller holding a key, 401 to anyone else', () => {
    expect(decideUnmatched(identify(keys, bearer('ingest-1')), true)).toMatchObject({ status: 404, path: '(url)' });
    expect(decideUnmatched(identify(keys, bearer('admin-1')), true)).toMatchObject({ status: 404 });
    expect(decideUnmatched(identify(keys, {}), true)).toMatchObject({ status: 401, path: 'headers.authorization' });
    expect(decideUnmatched(identify(keys, bearer('x')), true)).toMatchObject({ status: 401 });
    expect(decideUnmatched(identify(keys, { userTokenHeader: userToken(SECRET, 'ana') }), true)).toMatchObject({ status: 401 });
  });

  it('answers 404 to everyone when authentication is off', () => {
    expect(decideUnmatched({ kind: 'anonymous' }, false)).toMatchObject({ status: 404 });
  });
});
