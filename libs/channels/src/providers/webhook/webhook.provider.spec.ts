import type { IncomingHttpHeaders } from 'node:http';
import type { OutboundMessage } from '../../outbound-message';
import { startFakeProviderServer } from '../../testing/fake-provider-server';
import { verifyNudgeSignature } from './nudge-signature';
import { createWebhookProvider, type WebhookPayload } from './webhook.provider';

interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** The customer's endpoint: `/status/<code>` answers that code with a text, `/silent` never answers. */
async function startCustomerEndpoint(): Promise<{ url: string; calls: ReceivedCall[]; close(): Promise<void> }> {
  const server = await startFakeProviderServer((request) => {
    if (request.path === '/silent') return null;
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
const providerWith = (settings: Record<string, unknown> = {}) =>
  createWebhookProvider({ provider: 'webhook', secretEnv: 'NUDGE_WEBHOOK_SECRET', ...settings }, 'webhook', {
    env: { NUDGE_WEBHOOK_SECRET: secret },
    publicUrl: 'http://localhost:3002',
  });

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
    [302, 'permanent'],
  ])('an answer %i fails %s, with what the endpoint said', async (status, kind) => {
    const to = `${endpoint.url}/status/${status}`;
    const result = await providerWith().send(aMessage(to));
    expect(result).toMatchObject({ outcome: 'rejected', error: { kind, message: `${to} answered ${status}: endpoint says ${status}` } });
  });

  it('no answer in time fails transiently', async () => {
    const result = await providerWith({ timeoutMs: 200 }).send(aMessage(`${endpoint.url}/silent`));
    expect(result).toMatchObject({
      outcome: 'rejected',
      error: { kind: 'transient', message: expect.stringMatching(/no answer within 200 ms/) },
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
    // Settings url is the operator's own: a key address still goes there.
    expect(
      (await providerWith({ url: `${endpoint.url}/crm`, allowedHosts: ['hooks.acme.example'] }).send(aMessage('customer-4711'))).outcome,
    ).toBe('accepted');
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
