import { PROVIDER_FACTORIES, type OutboundMessage } from '@nudge/channels';
import type { SendRequest } from '@nudge/contracts';
import { listRoutes, type RegisteredRoute, userToken } from '@nudge/service-runtime';
import { rawRequest, scopeMisses, unauthenticatedMisses } from '@nudge/testing';
import {
  aSendRequest,
  messageReaching,
  publishSendRequests,
  saveSettings,
  startDispatch,
  type DispatchHarness,
} from './support/dispatch-stack';
import { SIGNED_TEST_PROVIDER, signedTestProvider, signWebhook } from './support/signed-test-provider';

const PUBLIC_URL = 'https://nudge.example';
const ADMIN_KEY = 'dispatch-admin-key-0123456789';
const INGEST_KEY = 'dispatch-ingest-key-0123456789';
const INBOX_SECRET = 'inbox-secret-0123456789abcdef';
const WEBHOOK_SECRET = 'webhook-secret';

const tokenOf = (userId: string) => userToken(INBOX_SECRET, userId);

function anInAppRequest(userId: string, triggerEventId: string): SendRequest {
  const request = aSendRequest({ userId, triggerEventId, channel: 'inapp', to: userId });
  return { ...request, message: { body: 'Your cart is waiting', subject: 'Still thinking?' } };
}

describe('dispatch: who may call which route', () => {
  let dispatch: DispatchHarness;
  let routes: RegisteredRoute[];
  let url: string;
  const outbox: OutboundMessage[] = [];

  beforeAll(async () => {
    dispatch = await startDispatch(
      'dispatch-access',
      {
        PUBLIC_URL,
        NUDGE_API_KEY: ADMIN_KEY,
        NUDGE_INGEST_KEY: INGEST_KEY,
        NUDGE_INBOX_SECRET: INBOX_SECRET,
        NUDGE_SECRET_SIGNED_TEST: WEBHOOK_SECRET,
      },
      { providerFactories: { ...PROVIDER_FACTORIES, [SIGNED_TEST_PROVIDER]: signedTestProvider(outbox) } },
    );
    await saveSettings(dispatch, {
      providers: { sms: { provider: SIGNED_TEST_PROVIDER, secretEnv: 'NUDGE_SECRET_SIGNED_TEST', verifyToken: 'let-me-in' } },
    });
    routes = listRoutes(dispatch.stack.app('dispatch'));
    url = dispatch.stack.url('dispatch');
  });

  afterAll(() => dispatch?.stop());

  it('finds the routes in the router: public ones are health, metrics, tracked links, unsubscribe links, preference centres, widget pages, double opt-in confirmations and the API reference; inbox routes take a user token', () => {
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /health/live',
      'GET /health/ready',
      'GET /health',
      'GET /metrics',
      'GET /c/:code',
      'GET /u/:token',
      'POST /u/:token',
      'GET /p/:token',
      'POST /p/:token',
      'GET /w/:widgetId',
      'GET /w/:widgetId/embed.js',
      'GET /openapi.json',
      'GET /docs',
      'GET /docs/swagger-ui.css',
      'GET /docs/swagger-ui-bundle.js',
      'GET /docs/docs.js',
      'GET /o/:token',
      'POST /o/:token',
    ]);
    expect(routes.filter((r) => r.scopes.includes('user')).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/users/:userId/inbox',
      'GET /v1/users/:userId/inbox/stream',
      'POST /v1/users/:userId/inbox/:messageId/read',
      'POST /v1/users/:userId/inbox/:messageId/clicked',
    ]);
    expect(routes.filter((r) => r.exemptWhen).map((r) => r.exemptWhen)).toEqual(expect.arrayContaining(['SignedWebhooksExemption']));
  });

  it('answers 401 on every non-public route, in every spelling, without a key or with a wrong one', async () => {
    expect(await unauthenticatedMisses(url, routes, 'wrong-key')).toEqual([]);
  });

  it('answers public routes without a key', async () => {
    expect((await rawRequest(url, 'GET', '/health')).body).toMatchObject({ status: 'ok', auth: 'on' });
    expect((await rawRequest(url, 'GET', '/metrics')).status).toBe(200);
    expect((await rawRequest(url, 'GET', '/c/unknown-code')).status).toBe(404);
    expect((await rawRequest(url, 'GET', '/u/not-a-token')).status).toBe(400);
    expect((await rawRequest(url, 'POST', '/u/not-a-token')).status).toBe(400);
    expect((await rawRequest(url, 'GET', '/p/not-a-token')).status).toBe(400);
    expect((await rawRequest(url, 'POST', '/p/not-a-token')).status).toBe(400);
    expect((await rawRequest(url, 'GET', '/w/no-such-widget')).status).toBe(404);
    expect((await rawRequest(url, 'GET', '/w/no-such-widget/embed.js')).status).toBe(404);
    expect((await rawRequest(url, 'GET', '/o/not-a-token')).status).toBe(400);
    expect((await rawRequest(url, 'POST', '/o/not-a-token')).status).toBe(400);
  });

  it("lets a signed provider's webhook in without a key, but not the unsigned sandbox's", async () => {
    const raw = '{"statuses":[]}';
    const path = `/v1/providers/${SIGNED_TEST_PROVIDER}/status`;
    const headers = { 'content-type': 'application/json', 'x-test-signature': signWebhook(WEBHOOK_SECRET, `${PUBLIC_URL}${path}`, raw) };
    expect((await rawRequest(url, 'POST', path, { headers, body: raw })).status).toBe(200);
    const forged = await rawRequest(url, 'POST', path, { headers: { ...headers, 'x-test-signature': 'forged' }, body: raw });
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature', details: [{ path: '(signature)' }] } } });
    const sandbox = await rawRequest(url, 'POST', '/v1/providers/sandbox/status', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(sandbox.status).toBe(401);
  });

  it('refuses the ingest key on every dispatch route with a 403', async () => {
    expect(await scopeMisses(url, routes, 'ingest', { authorization: `Bearer ${INGEST_KEY}` })).toEqual([]);
  });

  it("lets a user token open its own inbox routes only: another user's inbox and every other route answer 403", async () => {
    expect(await scopeMisses(url, routes, 'user', { 'x-nudge-user-token': tokenOf('sample-1') })).toEqual([]);

    await publishSendRequests(dispatch, anInAppRequest('ana', 'e-ana-access'));
    const message = await messageReaching(dispatch, 'ana', 'e-ana-access', 'delivered');
    const ana = dispatch.stack.client('dispatch', '');
    const asAna = { 'x-nudge-user-token': tokenOf('ana') };

    const inbox = await ana.get('/v1/users/ana/inbox', asAna);
    expect(inbox).toMatchObject({ status: 200, body: { items: [{ messageId: message.id }] } });
    expect((await ana.post(`/v1/users/ana/inbox/${message.id}/read`, undefined, asAna)).status).toBe(200);
    expect((await ana.post(`/v1/users/ana/inbox/${message.id}/clicked`, undefined, asAna)).status).toBe(200);

    const other = await ana.get('/v1/users/bea/inbox', asAna);
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'forbidden', details: [{ path: 'headers.x-nudge-user-token' }] } } });
    expect((await ana.post(`/v1/users/bea/inbox/${message.id}/read`, undefined, asAna)).status).toBe(403);
    expect((await ana.get('/v1/messages?userId=ana', asAna)).status).toBe(403);
    expect((await ana.get('/v1/users/ana/inbox', { 'x-nudge-user-token': tokenOf('bea') })).status).toBe(403);
    expect((await dispatch.stack.client('dispatch', ADMIN_KEY).get('/v1/users/ana/inbox')).status).toBe(200);
  });

  it('opens the event stream with ?token= (EventSource sends no headers)', async () => {
    const stream = (token: string) => {
      const abort = new AbortController();
      const response = fetch(`${url}/v1/users/ana/inbox/stream?token=${token}`, { signal: abort.signal });
      return { response, close: () => abort.abort() };
    };
    const own = stream(tokenOf('ana'));
    try {
      const response = await own.response;
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    } finally {
      own.close();
    }
    const others = stream(tokenOf('bea'));
    try {
      const response = await others.response;
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { details: [{ path: 'query.token' }] } });
    } finally {
      others.close();
    }
  });
});
