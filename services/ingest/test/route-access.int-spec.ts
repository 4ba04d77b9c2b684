import { Logger } from '@nestjs/common';
import { listRoutes, type RegisteredRoute } from '@nudge/service-runtime';
import { scopeMisses, unauthenticatedMisses, type TestStack } from '@nudge/testing';
import { startIngest } from './support/ingest-stack';

const ADMIN_KEYS = ['admin-key-a-0123456789', 'admin-key-b-0123456789'];
const INGEST_KEY = 'ingest-key-0123456789';

describe('ingest: who may call which route', () => {
  let stack: TestStack;
  let routes: RegisteredRoute[];

  beforeAll(async () => {
    stack = await startIngest('ingest-access', { NUDGE_API_KEY: ADMIN_KEYS.join(','), NUDGE_INGEST_KEY: INGEST_KEY });
    routes = listRoutes(stack.app('ingest'));
  });

  afterAll(() => stack?.stop());

  it('finds the routes in the router, each declaring its access', () => {
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'POST', path: '/v1/events', public: false, scopes: ['admin', 'ingest'] },
        { method: 'POST', path: '/v1/events/batch', public: false, scopes: ['admin', 'ingest'] },
        { method: 'GET', path: '/v1/users/:userId', public: false, scopes: ['admin', 'ingest'] },
        { method: 'PUT', path: '/v1/users/:userId', public: false, scopes: ['admin', 'ingest'] },
        { method: 'DELETE', path: '/v1/users/:userId', public: false, scopes: ['admin'] },
        { method: 'GET', path: '/health', public: true, scopes: ['admin'] },
        { method: 'GET', path: '/health/live', public: true, scopes: ['admin'] },
        { method: 'GET', path: '/health/ready', public: true, scopes: ['admin'] },
        { method: 'GET', path: '/metrics', public: true, scopes: ['admin'] },
      ]),
    );
  });

  it('answers 401 on every non-public route, in every spelling, without a key or with a wrong one', async () => {
    expect(await unauthenticatedMisses(stack.url('ingest'), routes, 'wrong-key')).toEqual([]);
  });

  it('answers public routes without a key, and health says auth is on', async () => {
    for (const route of routes.filter((r) => r.public)) {
      expect([route.path, (await stack.client('ingest', '').get(route.path)).status]).toEqual([route.path, 200]);
    }
    expect((await stack.client('ingest', '').get('/health')).body).toMatchObject({ status: 'ok', auth: 'on' });
  });

  it('lets the ingest key send events and read and write profiles, and nothing else (403)', async () => {
    expect(await scopeMisses(stack.url('ingest'), routes, 'ingest', { authorization: `Bearer ${INGEST_KEY}` })).toEqual([]);
    const ingest = stack.client('ingest', INGEST_KEY);
    expect((await ingest.post('/v1/events', { userId: 'ana', name: 'app_opened' })).status).toBe(202);
    expect((await ingest.post('/v1/events', { name: 'no user' })).status).toBe(400);
    expect((await ingest.put('/v1/users/ana', { attributes: { tier: 'gold' } })).status).toBe(200);
    expect((await ingest.get('/v1/users/ana')).status).toBe(200);
    const erase = await ingest.delete('/v1/users/ana');
    expect(erase).toMatchObject({ status: 403, body: { error: { code: 'forbidden', details: [{ path: 'headers.authorization' }] } } });
  });

  it('accepts each admin key of the list', async () => {
    for (const key of ADMIN_KEYS) expect((await stack.client('ingest', key).delete('/v1/users/bea')).status).toBe(204);
  });

  it('answers 404 to a caller with a key on a route that does not exist, 401 to one without', async () => {
    expect((await stack.client('ingest', INGEST_KEY).get('/v1/nowhere')).body).toMatchObject({ error: { details: [{ path: '(url)' }] } });
    expect((await stack.client('ingest', INGEST_KEY).get('/v1/nowhere')).status).toBe(404);
    expect((await stack.client('ingest', '').get('/v1/nowhere')).status).toBe(401);
  });

  it('with no key configured, warns once at start and health says auth is off', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const open = await startIngest('ingest-auth-off');
    try {
      expect((await open.client('ingest').get('/health')).body).toMatchObject({ status: 'ok', auth: 'off' });
      expect((await open.client('ingest').get('/v1/users/nobody')).status).toBe(404);
      const warnings = warn.mock.calls.filter(([message]) => String(message).includes('authentication is OFF'));
      expect(warnings).toHaveLength(1);
    } finally {
      warn.mockRestore();
      await open.stop();
    }
  });
});
