import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeProviderServer, type FakeProviderServer } from '../testing/fake-provider-server';
import { ScreenedHttpClient, type ScreenedPost } from './screened-http-client';
import type { Resolver } from './screened-lookup';

const policy = { subject: 'webhook URL', allowedHostsSetting: 'providers.webhook.allowedHosts' };
const clientFor = (allowedHosts?: string[], resolve?: Resolver) =>
  new ScreenedHttpClient({ ...policy, ...(allowedHosts && { allowedHosts }) }, resolve);
const aPost = (url: string, timeoutMs = 2_000): ScreenedPost => ({
  url: new URL(url),
  headers: { 'content-type': 'application/json' },
  body: '{"hello":"world"}',
  timeoutMs,
});
const toLoopback: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

/** A server on 127.0.0.1 answering `/redirect` with 302 to `/elsewhere`, `/silent` never, anything else 200. */
async function startLocalServer(): Promise<FakeProviderServer & { port: string }> {
  const server = await startFakeProviderServer((request) => {
    if (request.path === '/silent') return null;
    if (request.path === '/redirect') return { status: 302, headers: { location: '/elsewhere' } };
    return { status: 200, body: { ok: true } };
  });
  return { ...server, port: new URL(server.baseUrl).port };
}

describe('ScreenedHttpClient', () => {
  let server: Awaited<ReturnType<typeof startLocalServer>>;

  beforeEach(async () => {
    server = await startLocalServer();
  });
  afterEach(() => server.close());

  it('refuses a loopback URL by default, and the server sees no request', async () => {
    const outcome = await clientFor().post(aPost(`${server.baseUrl}/hooks`));
    expect(outcome).toEqual({
      outcome: 'refused',
      reason: `webhook URL is 127.0.0.1, a loopback address; list its host (127.0.0.1:${server.port}) in providers.webhook.allowedHosts to allow it`,
    });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a host name that resolves to loopback, and the server sees no request', async () => {
    const outcome = await clientFor().post(aPost(`http://localhost:${server.port}/hooks`));
    expect(outcome).toEqual({
      outcome: 'refused',
      reason: expect.stringMatching(/^webhook URL resolves to (127\.0\.0\.1|::1), a loopback address; list its host \(localhost:\d+\)/),
    });
    expect(server.requests).toHaveLength(0);
  });

  it.each([['127.0.0.1:<port>'], ['localhost:<port>']])('posts to the local server when allowedHosts lists %s', async (entry) => {
    const host = entry.replace('<port>', server.port);
    const outcome = await clientFor([host]).post(aPost(`http://${host}/hooks`));
    expect(outcome).toMatchObject({ outcome: 'answered', status: 200, text: '{"ok":true}' });
    expect(server.requests.map(({ path, rawBody }) => [path, rawBody.toString()])).toEqual([['/hooks', '{"hello":"world"}']]);
  });

  it('connects only to the address its own lookup screened: a name resolved to loopback passes with an exact entry, not with a wildcard', async () => {
    const url = `http://hooks.acme.example:${server.port}/hooks`;
    const wildcard = await clientFor(['*.acme.example'], toLoopback).post(aPost(url));
    expect(wildcard).toMatchObject({
      outcome: 'refused',
      reason: expect.stringMatching(/^webhook URL resolves to 127\.0\.0\.1, a loopback/),
    });
    expect(server.requests).toHaveLength(0);
    const exact = await clientFor([`hooks.acme.example:${server.port}`], toLoopback).post(aPost(url));
    expect(exact).toMatchObject({ outcome: 'answered', status: 200 });
    expect(server.requests).toHaveLength(1);
  });

  it('answers a redirect as it is and never follows it', async () => {
    const outcome = await clientFor(['127.0.0.1']).post(aPost(`${server.baseUrl}/redirect`));
    expect(outcome).toMatchObject({ outcome: 'answered', status: 302, headers: { location: '/elsewhere' } });
    expect(server.requests.map(({ path }) => path)).toEqual(['/redirect']);
  });

  it('gives up on a server that does not answer in time', async () => {
    const outcome = await clientFor(['127.0.0.1']).post(aPost(`${server.baseUrl}/silent`, 200));
    expect(outcome).toEqual({ outcome: 'unreachable', reason: 'no answer within 200 ms', timedOut: true, sent: true });
  });

  it('a refused connection is unreachable, not timed out', async () => {
    await server.close();
    const outcome = await clientFor(['127.0.0.1']).post(aPost(`${server.baseUrl}/hooks`));
    expect(outcome).toMatchObject({ outcome: 'unreachable', reason: expect.stringMatching(/ECONNREFUSED/), timedOut: false, sent: false });
  });
});

describe('ScreenedHttpClient with a 10 MB answer', () => {
  it('reads its first 64 KB and stops reading: the server never gets to write the rest', async () => {
    const tenMegabytes = 10 * 1024 * 1024;
    let written = 0;
    let finished = false;
    let closed!: Promise<void>;
    const server = createServer((request, response) => {
      request.resume();
      closed = new Promise((resolve) => response.on('close', resolve));
      response.on('finish', () => {
        finished = true;
      });
      response.writeHead(500, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (written < tenMegabytes) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const outcome = await clientFor(['127.0.0.1']).post(aPost(`http://127.0.0.1:${port}/hooks`, 10_000));
      expect(outcome).toMatchObject({ outcome: 'answered', status: 500 });
      expect(outcome.outcome === 'answered' && outcome.text.length).toBe(64 * 1024);
      await closed;
      expect(finished).toBe(false);
      expect(written).toBeLessThan(tenMegabytes);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
