import { Body, Controller, Get, type INestApplication, Injectable, Module, Param, Post } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiAuth } from './api-auth';
import { ApiKeyGuard } from './api-key.guard';
import { createServiceApp } from './bootstrap';
import { HttpErrorFilter } from './http-error.filter';
import { ServiceMetrics } from './metrics';
import { ApiKeyExempt, type ApiKeyExemptionPolicy, Public, Scope, WriteKeyAccepted } from './route-access';
import { SERVICE_CONFIG } from './tokens';
import { userToken } from './user-token';

const SECRET = 'inbox-secret-0123456789';

@Injectable()
class OnlyOpenDoors implements ApiKeyExemptionPolicy {
  exempts(request: Request): boolean {
    return request.params.door === 'open';
  }
}

@Controller('v1')
class DoorsController {
  @Get('guarded')
  guarded() {
    return 'guarded';
  }

  @Post('guarded')
  post(@Body() body: unknown) {
    return body;
  }

  @Get('public')
  @Public()
  open() {
    return 'public';
  }

  @Get('doors/:door')
  @ApiKeyExempt(OnlyOpenDoors)
  door(@Param('door') door: string) {
    return door;
  }

  @Get('events')
  @Scope('ingest')
  events() {
    return 'events';
  }

  @Post('segment')
  @Scope('ingest')
  @WriteKeyAccepted()
  segment() {
    return 'segment';
  }

  @Post('events')
  @Scope('ingest')
  postEvents() {
    return 'events';
  }

  @Get('users/:userId/inbox')
  @Scope('user')
  inbox(@Param('userId') userId: string) {
    return userId;
  }
}

async function startDoors(config: Record<string, string>): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } })],
    controllers: [DoorsController],
    providers: [
      OnlyOpenDoors,
      ApiAuth,
      { provide: ServiceMetrics, useValue: new ServiceMetrics('doors') },
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: APP_GUARD, useClass: ApiKeyGuard },
      { provide: APP_FILTER, useClass: HttpErrorFilter },
    ],
  })
  class DoorsModule {}
  const app = await createServiceApp(DoorsModule);
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

describe('ApiKeyGuard', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startDoors({ NUDGE_API_KEY: 'secret,next-secret', NUDGE_INGEST_KEY: 'ingest', NUDGE_INBOX_SECRET: SECRET }));
  });

  afterAll(() => app?.close());

  const call = (path: string, init: { key?: string; method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    rawCall(url, path, init);
  const status = async (path: string, key?: string, method?: string) => (await call(path, { key, method })).status;

  it('a route without a decorator needs a key, whatever its path looks like', async () => {
    expect(await status('/v1/guarded')).toBe(401);
    expect(await status('/v1/guarded', 'wrong')).toBe(401);
    expect(await status('/v1/guarded', 'secret')).toBe(200);
  });

  it('accepts every key of a comma-separated list', async () => {
    expect(await status('/v1/guarded', 'next-secret')).toBe(200);
  });

  it('@Public() lets every caller through', async () => {
    expect(await status('/v1/public')).toBe(200);
    expect(await status('/v1/public', 'wrong')).toBe(200);
  });

  it('@ApiKeyExempt(policy) lets through only what the policy exempts', async () => {
    expect(await status('/v1/doors/open')).toBe(200);
    expect(await status('/v1/doors/locked')).toBe(401);
    expect(await status('/v1/doors/locked', 'secret')).toBe(200);
  });

  it('routes by exact case and slashes: other spellings match nothing and answer 401 without a key, 404 with one', async () => {
    for (const variant of [
      '/V1/guarded',
      '/v1/Guarded',
      '/v1//guarded',
      '/%76%31/guarded',
      '/v1/./guarded',
      '/v1/guarded/',
      '/v1/public/',
    ]) {
      expect([variant, await status(variant)]).toEqual([variant, 401]);
      expect([variant, await status(variant, 'secret')]).toEqual([variant, 404]);
    }
  });

  it('HEAD and OPTIONS are guarded like the route', async () => {
    expect(await status('/v1/guarded', undefined, 'HEAD')).toBe(401);
    expect(await status('/v1/guarded', 'secret', 'HEAD')).toBe(200);
    expect(await status('/v1/guarded', undefined, 'OPTIONS')).toBe(401);
    expect(await status('/v1/guarded', 'secret', 'OPTIONS')).toBe(404);
    expect(await status('/v1/public', undefined, 'HEAD')).toBe(200);
  });

  it('lets the ingest key call ingest routes and answers 403 elsewhere', async () => {
    expect(await status('/v1/events', 'ingest')).toBe(200);
    expect(await status('/v1/guarded', 'ingest')).toBe(403);
    expect(await status('/v1/users/ana/inbox', 'ingest')).toBe(403);
    expect(await status('/v1/nowhere', 'ingest')).toBe(404);
  });

  it('takes a Segment write key (Basic <key>:, or the body writeKey) on routes that accept one only', async () => {
    const asBasic = (key: string) => ({
      authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      'content-type': 'application/json',
    });
    const json = { 'content-type': 'application/json' };
    expect((await call('/v1/segment', { method: 'POST', headers: asBasic('ingest'), body: '{}' })).status).toBe(201);
    expect((await call('/v1/segment', { method: 'POST', headers: json, body: '{"writeKey":"ingest"}' })).status).toBe(201);
    expect((await call('/v1/segment', { method: 'POST', headers: asBasic('wrong'), body: '{}' })).status).toBe(401);
    expect((await call('/v1/segment', { method: 'POST', headers: json, body: '{"writeKey":"wrong"}' })).status).toBe(401);
    expect((await call('/v1/events', { method: 'POST', headers: asBasic('ingest'), body: '{}' })).status).toBe(401);
    expect((await call('/v1/events', { method: 'POST', headers: json, body: '{"writeKey":"ingest"}' })).status).toBe(401);
    expect((await call('/v1/guarded', { headers: asBasic('secret') })).status).toBe(401);
  });

  it("lets a user token open only that user's inbox", async () => {
    const token = userToken(SECRET, 'ana');
    const withToken = (path: string) => call(path, { headers: { 'x-nudge-user-token': token } });
    expect((await withToken('/v1/users/ana/inbox')).status).toBe(200);
    expect((await call(`/v1/users/ana/inbox?token=${token}`)).status).toBe(200);
    expect((await withToken('/v1/users/bea/inbox')).status).toBe(403);
    expect((await withToken('/v1/guarded')).status).toBe(403);
    expect((await withToken('/v1/events')).status).toBe(403);
    expect((await withToken('/v1/nowhere')).status).toBe(401);
  });

  it('names the request field at fault in every refusal', async () => {
    expect((await call('/v1/guarded')).body).toEqual({
      error: {
        code: 'unauthorized',
        message: expect.any(String),
        details: [{ path: 'headers.authorization', message: expect.any(String) }],
      },
    });
    expect((await call('/V1/guarded')).body).toMatchObject({
      error: { code: 'unauthorized', details: [{ path: 'headers.authorization' }] },
    });
    expect((await call('/v1/guarded', { key: 'ingest' })).body).toMatchObject({
      error: { code: 'forbidden', details: [{ path: 'headers.authorization' }] },
    });
    expect((await call('/v1/users/bea/inbox', { headers: { 'x-nudge-user-token': userToken(SECRET, 'ana') } })).body).toMatchObject({
      error: { code: 'forbidden', details: [{ path: 'headers.x-nudge-user-token' }] },
    });
    expect((await call('/nowhere', { key: 'secret' })).body).toMatchObject({ error: { code: 'not_found', details: [{ path: '(url)' }] } });
  });

  it('answers 401 rather than a URL error to a caller without a valid key', async () => {
    expect((await call('/v1/doors/%E0%A4%A')).status).toBe(401);
    expect(await call('/v1/doors/%E0%A4%A', { key: 'secret' })).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: '(url)' }] } },
    });
  });

  it('answers 401 rather than a body error to a caller without a valid key', async () => {
    const bad = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' };
    expect((await call('/v1/guarded', bad)).status).toBe(401);
    const parsed = await call('/v1/guarded', { ...bad, key: 'secret' });
    expect(parsed).toMatchObject({ status: 400, body: { error: { code: 'invalid_json', details: [{ path: '(body)' }] } } });
    const huge = await call('/v1/guarded', { ...bad, key: 'secret', body: JSON.stringify({ a: 'x'.repeat(6 * 1024 * 1024) }) });
    expect(huge).toMatchObject({ status: 413, body: { error: { details: [{ path: '(body)' }] } } });
  });
});

/** One request with the path sent as written (fetch would resolve `/./`). */
function rawCall(
  url: string,
  path: string,
  init: { key?: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: unknown }> {
  const { port } = new URL(url);
  const headers = { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parsed(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    req.end(init.body);
  });
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

describe('ApiKeyGuard with no key configured', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await startDoors({}));
  });

  afterAll(() => app?.close());

  it('lets every caller through and answers unknown routes 404', async () => {
    expect((await fetch(`${url}/v1/guarded`)).status).toBe(200);
    expect((await fetch(`${url}/v1/nowhere`)).status).toBe(404);
  });
});
