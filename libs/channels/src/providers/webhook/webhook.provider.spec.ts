import type { IncomingHttpHeaders } from 'node:http';
import type { OutboundMessage } from '../../outbound-message';
import { startFakeProviderServer, type FakeAnswer } from '../../testing/fake-provider-server';
import { verifyNudgeSignature } from './nudge-signature';
import { parseWebhookSettings } from './webhook-settings';
import { createWebhookProvider, WebhookProvider, type WebhookPayload } from './webhook.provider';

interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** The customer's endpoint: `/status/<code>` answers that code with a text, `/silent` never answers. */
async function startCustomerEndpoint(): Promise<{ url: string; calls: ReceivedCall[]; close(): Promise<void> }> {
  const server = await startFakeProviderServer((request): FakeAnswer | null => {
    if (request.path === '/silent') return null;
    if (request.path === '/busy') return { status: 503, body: 'busy', contentType: 'text/plain', headers: { 'retry-after': '30' } };
    if (request.path === '/error-page') return { status: 500, body: 'x'.repeat(100_000), contentType: 'text/html' };
    const status = Number(/^\/status\/(\d{3})$/.exec(request.path)?.[1] ?? 204);
    return {
      status,
      ...(status !== 204 && { body: `endpoint says ${status}`, contentType: 'text/plain' }),
      ...(status >= 300 && status < 400 && { headers: { location: '/elsewhere' } }),
    };
  });
  return {
    url: server.baseUrl,
    get calls() {
      return server.requests.map(({ path, headers, rawBody }) => ({ path, headers, rawBody: rawBody.toString('utf8') }));
    },
    close: () => server.close(),
  };
}

const secret = 'whsec_test';
const now = new Date('2026-11-24T10:00:00.000Z');
const aMessage = (to: string): OutboundMessage => ({
  messageId: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
  channel: 'webhook',
  to,
  body: 'Cart of 129.9 € abandoned',
  attempt: 1,
  category: 'transactional',
  campaignId: 'cart-abandon-crm',
  now,
});
const context = { env: { NUDGE_WEBHOOK_SECRET: secret }, publicUrl: 'http://localhost:3002' };
/** A webhook provider; the local endpoint is on 127.0.0.1, so it is listed unless a test says otherwise. */
const providerWith = (settings: Record<string, unknown> = {}) =>
  createWebhookProvider(
    { provider: 'webhook', secretEnv: 'NUDGE_WEBHOOK_SECRET', allowedHosts: ['127.0.0.1'], ...settings },
    'webhook',
    context,
  );

describe('WebhookProvider', () => {
  let endpoint: Awaited<ReturnType<typeof startCustomerEndpoint>>;

  beforeAll(async () => {
    endpoint = await startCustomerEndpoint();
  });
  afterAll(() => endpoint.close());

  it('posts the message as signed JSON to the address and counts a 2xx as delivered', async () => {
    const to = `${endpoint.url}/hooks/nudge`;
    const result = await providerWith().send(aMessage(to));

    expect(result).toEqual({ outcome: 'accepted', status: 'delivered', providerMessageId: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11' });
    const call = endpoint.calls.at(-1)!;
    expect(call.path).toBe('/hooks/nudge');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-nudge-timestamp']).toBe(String(now.getTime() / 1000));
    expect(call.headers['idempotency-key']).toBe('6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11');
    expect(verifyNudgeSignature(secret, call.rawBody, call.headers['x-nudge-signature'] as string)).toBe(true);
    expect(JSON.parse(call.rawBody)).toEqual<WebhookPayload>({
      messageId: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
      campaignId: 'cart-abandon-crm',
      channel: 'webhook',
      to,
      body: 'Cart of 129.9 € abandoned',
      sentAt: '2026-11-24T10:00:00.000Z',
    });
  });

  it('posts an address that is a key in the customer system to settings url', async () => {
    const result = await providerWith({ url: `${endpoint.url}/crm` }).send(aMessage('customer-4711'));

    expect(result.outcome).toBe('accepted');
    const call = endpoint.calls.at(-1)!;
    expect(call.path).toBe('/crm');
    expect(JSON.parse(call.rawBody)).toMatchObject({ to: 'customer-4711' });
  });

  it.each([
    [429, 'transient'],
    [500, 'transient'],
    [503, 'transient'],
    [408, 'transient'],
    [400, 'permanent'],
    [404, 'permanent'],
    [410, 'permanent'],
  ])('an answer %i fails %s, with what the endpoint said', async (status, kind) => {
    const to = `${endpoint.url}/status/${status}`;
    const result = await providerWith().send(aMessage(to));
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind, message: `${to} answered ${status}: endpoint says ${status}` } });
  });

  it('a redirect fails for good and is not followed', async () => {
    const to = `${endpoint.url}/status/302`;
    const result = await providerWith().send(aMessage(to));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: `${to} answered 302, a redirect, which is not followed: endpoint says 302` },
    });
    expect(endpoint.calls.map(({ path }) => path)).not.toContain('/elsewhere');
  });

  it("a 503 fails transiently, carrying the endpoint's Retry-After", async () => {
    const to = `${endpoint.url}/busy`;
    const result = await providerWith().send(aMessage(to));
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'transient', retryAfterMs: 30_000 } });
  });

  it('keeps at most 500 characters of what a failing endpoint said', async () => {
    const to = `${endpoint.url}/error-page`;
    const result = await providerWith().send(aMessage(to));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: expect.stringMatching(/^http.* answered 500: x+…$/) },
    });
    expect(result.outcome === 'rejected' && result.error.message.length).toBe(500);
  });

  it('no answer in time is an unknown outcome: the post had left', async () => {
    const result = await providerWith({ timeoutMs: 200 }).send(aMessage(`${endpoint.url}/silent`));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'unknown', message: expect.stringMatching(/did not answer within 200 ms/) },
    });
  });

  it('a refused connection fails transiently', async () => {
    const closed = await startCustomerEndpoint();
    await closed.close();
    const result = await providerWith().send(aMessage(`${closed.url}/hooks`));
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind: 'transient', message: expect.stringMatching(/ECONNREFUSED/) } });
  });

  it('posts to a recipient URL only on a host allowedHosts lists, and never calls another', async () => {
    const port = new URL(endpoint.url).port;
    const listed = providerWith({ allowedHosts: [`127.0.0.1:${port}`, '*.acme.example'] });
    expect((await listed.send(aMessage(`${endpoint.url}/hooks/allowed`))).outcome).toBe('accepted');
    const before = endpoint.calls.length;
    const refused = await providerWith({ allowedHosts: ['hooks.acme.example'] }).send(aMessage(`${endpoint.url}/hooks/internal`));
    expect(refused).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: expect.stringMatching(/its host is not in allowedHosts \(hooks\.acme\.example\)/) },
    });
    expect(endpoint.calls.length).toBe(before);
  });

  it('refuses a recipient URL on a loopback address by default: no request is made, and the message fails for good', async () => {
    const before = endpoint.calls.length;
    const to = `${endpoint.url}/hooks/internal`;
    const result = await providerWith({ allowedHosts: undefined }).send(aMessage(to));
    const port = new URL(endpoint.url).port;
    expect(result).toEqual({
      outcome: 'rejected',
      error: expect.objectContaining({
        kind: 'permanent',
        message: `cannot post to "${to}": webhook URL is 127.0.0.1, a loopback address; list its host (127.0.0.1:${port}) in providers.webhook.allowedHosts to allow it`,
      }),
    });
    expect(endpoint.calls.length).toBe(before);
  });

  it('refuses settings url on an internal address too, unless listed', async () => {
    const before = endpoint.calls.length;
    const result = await providerWith({ url: `${endpoint.url}/crm`, allowedHosts: undefined }).send(aMessage('customer-4711'));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: expect.stringMatching(/a loopback address/) },
    });
    expect(endpoint.calls.length).toBe(before);
  });

  it.each([['127.0.0.1:<port>'], ['localhost:<port>']])('posts to the local endpoint when allowedHosts lists %s', async (entry) => {
    const host = entry.replace('<port>', new URL(endpoint.url).port);
    const result = await providerWith({ allowedHosts: [host] }).send(aMessage(`http://${host}/hooks/listed`));
    expect(result.outcome).toBe('accepted');
    expect(endpoint.calls.at(-1)?.path).toBe('/hooks/listed');
  });

  it('a host name that resolves inside is refused when only a wildcard lists it, and posted to when an exact entry does', async () => {
    const port = new URL(endpoint.url).port;
    const settings = (allowedHosts: string[]) =>
      parseWebhookSettings({ provider: 'webhook', secretEnv: 'NUDGE_WEBHOOK_SECRET', allowedHosts }, 'webhook', context);
    const toLoopback = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const to = `http://crm.acme.example:${port}/hooks/named`;
    const before = endpoint.calls.length;
    const wildcard = await new WebhookProvider(settings(['*.acme.example']), 'webhook', toLoopback).send(aMessage(to));
    expect(wildcard).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: `cannot post to "${to}": webhook URL resolves to 127.0.0.1, a loopback address; list its host (crm.acme.example:${port}) in providers.webhook.allowedHosts to allow it`,
      },
    });
    expect(endpoint.calls.length).toBe(before);
    const exact = await new WebhookProvider(settings([`crm.acme.example:${port}`]), 'webhook', toLoopback).send(aMessage(to));
    expect(exact.outcome).toBe('accepted');
    expect(endpoint.calls.at(-1)?.path).toBe('/hooks/named');
  });

  it('refuses cloud metadata addresses whatever allowedHosts says', async () => {
    const result = await providerWith({ allowedHosts: ['169.254.169.254'] }).send(aMessage('http://169.254.169.254/latest/meta-data'));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: {
        kind: 'permanent',
        message: expect.stringMatching(/169\.254\.169\.254, a cloud metadata address; nothing is ever posted there/),
      },
    });
  });

  it('a key address without settings url fails for good', async () => {
    const result = await providerWith().send(aMessage('customer-4711'));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'permanent', message: 'cannot post to "customer-4711": it is no URL and settings give no url' },
    });
  });
});

describe('createWebhookProvider settings', () => {
  it('names secretEnv when its env variable is not set', () => {
    expect(() =>
      createWebhookProvider({ provider: 'webhook', secretEnv: 'MISSING_SECRET' }, 'webhook', {
        env: {},
        publicUrl: 'http://localhost:3002',
      }),
    ).toThrow('invalid settings: providers.webhook.secretEnv environment variable MISSING_SECRET is not set');
  });

  it('refuses an allowedHosts entry that is no host', () => {
    expect(() => providerWith({ allowedHosts: ['https://hooks.acme.example/path'] })).toThrow(
      /providers\.webhook\.allowedHosts\[0\] must be a host name/,
    );
  });

  it('refuses a url that is not http(s)', () => {
    expect(() => providerWith({ url: 'ftp://crm.acme.example/in' })).toThrow(/providers\.webhook\.url must be an http\(s\) URL/);
  });
});
