import { createRulesApp } from '@nudge/rules';
import { listRoutes, type RegisteredRoute } from '@nudge/service-runtime';
import { scopeMisses, TestStack, unauthenticatedMisses } from '@nudge/testing';

const ADMIN_KEY = 'rules-admin-key-0123456789';
const INGEST_KEY = 'rules-ingest-key-0123456789';

describe('rules: who may call which route', () => {
  let stack: TestStack;
  let routes: RegisteredRoute[];

  beforeAll(async () => {
    stack = await TestStack.start({
      factories: { rules: createRulesApp },
      label: 'rules-access',
      env: { NUDGE_API_KEY: ADMIN_KEY, NUDGE_INGEST_KEY: INGEST_KEY },
    });
    routes = listRoutes(stack.app('rules'));
  });

  afterAll(() => stack?.stop());

  it('finds the admin routes in the router; only health (all, live, ready), metrics and the API reference are public', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /v1/settings', 'PUT /v1/settings', 'GET /v1/campaigns', 'PUT /v1/campaigns/:id', 'GET /v1/broadcasts']),
    );
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /health',
      'GET /metrics',
      'GET /openapi.json',
      'GET /docs',
      'GET /docs/swagger-ui.css',
      'GET /docs/swagger-ui-bundle.js',
      'GET /docs/docs.js',
    ]);
  });

  it('answers 401 on every non-public route, in every spelling, without a key or with a wrong one', async () => {
    expect(await unauthenticatedMisses(stack.url('rules'), routes, 'wrong-key')).toEqual([]);
  });

  it('answers GET /V1/settings and its other spellings 401, not the settings', async () => {
    for (const spelling of ['/V1/settings', '/v1/Settings', '/v1/settings/']) {
      const { status, body } = await stack.client('rules', '').get(spelling);
      expect([spelling, status, body.error.details[0].path]).toEqual([spelling, 401, 'headers.authorization']);
    }
  });

  it('refuses the ingest key everywhere with a 403', async () => {
    expect(routes.filter((r) => r.scopes.includes('ingest'))).toEqual([]);
    expect(await scopeMisses(stack.url('rules'), routes, 'ingest', { authorization: `Bearer ${INGEST_KEY}` })).toEqual([]);
    const { status, body } = await stack.client('rules', INGEST_KEY).get('/v1/settings');
    expect(status).toBe(403);
    expect(body.error.details).toEqual([{ path: 'headers.authorization', message: expect.any(String) }]);
  });

  it('lets the admin key in, and health answers without one saying auth is on', async () => {
    expect((await stack.client('rules', ADMIN_KEY).get('/v1/settings')).status).toBe(200);
    expect((await stack.client('rules', '').get('/health')).body).toMatchObject({ status: 'ok', auth: 'on' });
    expect((await stack.client('rules', '').get('/metrics')).status).toBe(200);
  });
});
