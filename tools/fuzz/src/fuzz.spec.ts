import { Controller, Get, Module, Post } from '@nestjs/common';
import { fuzzKeys, isEntitled, requirementOf, userToken } from './access';
import { HOSTILE_SETTINGS, mustBeRefused } from './bodies';
import { judge } from './oracle';
import { encodeSegment, spellPath } from './paths';
import { generateRequests, type FuzzRequest } from './requests';
import { controllersOfModule, routesOfControllers } from './routes';

@Controller('v1/things')
class ThingsController {
  @Get(':id')
  one() {}
  @Post(['a', 'b'])
  two() {}
}

@Controller()
class HealthController {
  @Get('health')
  health() {}
}

@Controller('v1/settings')
class SettingsController {
  @Post('validate')
  validate() {}
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

@Module({})
class RootModule {
  static forRoot() {
    return { module: RootModule, imports: [ThingsModule, { module: class Runtime {}, controllers: [HealthController] }] };
  }
}

const request = (overrides: Partial<FuzzRequest>): FuzzRequest => ({
  kind: 'auth',
  service: 'rules',
  method: 'GET',
  path: '/v1/settings',
  headers: {},
  route: 'GET /v1/settings',
  requirement: 'admin',
  entitled: false,
  ...overrides,
});

const refusal = (status: number, path = 'headers.authorization') => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify({ error: { code: 'unauthorized', message: 'no', details: [{ path, message: 'no' }] } }),
});

describe('route enumeration', () => {
  it('finds every controller of a dynamic module and its imports, with every path a handler declares', () => {
    const routes = routesOfControllers('rules', controllersOfModule(RootModule.forRoot()));
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /health',
      'GET /v1/things/:id',
      'POST /v1/things/a',
      'POST /v1/things/b',
    ]);
  });
});

describe('what a route demands', () => {
  it.each([
    ['GET', '/health', 'public'],
    ['GET', '/health/live', 'public'],
    ['GET', '/health/ready', 'public'],
    ['GET', '/health/details', 'admin'],
    ['GET', '/metrics', 'public'],
    ['GET', '/c/:code', 'public'],
    ['GET', '/u/:token', 'public'],
    ['POST', '/u/:token', 'public'],
    ['GET', '/p/:token', 'public'],
    ['POST', '/p/:token', 'public'],
    ['GET', '/w/:widgetId', 'public'],
    ['GET', '/w/:widgetId/embed.js', 'public'],
    ['POST', '/w/:widgetId', 'admin'],
    ['GET', '/openapi.json', 'public'],
    ['GET', '/docs', 'public'],
    ['GET', '/docs/swagger-ui-bundle.js', 'public'],
    ['GET', '/docs/docs.js', 'public'],
    ['GET', '/docs/package.json', 'admin'],
    ['POST', '/openapi.json', 'admin'],
    ['POST', '/v1/providers/:provider/status', 'signed'],
    ['POST', '/v1/providers/sandbox/status', 'admin'],
    ['POST', '/v1/events/batch', 'ingest'],
    ['PUT', '/v1/users/:userId', 'ingest'],
    ['POST', '/segment/v1/batch', 'ingest'],
    ['DELETE', '/v1/users/:userId', 'admin'],
    ['GET', '/v1/users/:userId/inbox/stream', 'user'],
    ['GET', '/v1/users/:userId/decisions', 'admin'],
    ['GET', '/v1/anything-new', 'admin'],
  ])('%s %s needs %s', (method, path, requirement) => {
    expect(requirementOf({ method, path })).toBe(requirement);
  });

  it('entitles a user token to that user inbox only', () => {
    const token = { kind: 'user', userId: 'u1', via: 'header' } as const;
    expect(isEntitled('user', token, 'u1')).toBe(true);
    expect(isEntitled('user', token, 'u2')).toBe(false);
    expect(isEntitled('ingest', token, null)).toBe(false);
    expect(isEntitled('admin', { kind: 'ingest' }, null)).toBe(false);
    expect(isEntitled('user', { kind: 'admin' }, 'u2')).toBe(true);
  });

  it('computes the inbox token as hex HMAC-SHA256 of the user id', () => {
    // printf u1 | openssl dgst -sha256 -hmac secret
    expect(userToken('u1', 'secret')).toBe('8a629605d37d74d6c872140bed892da5f3739914899fdd6171dfe43031786151');
    expect(userToken('u1', 'secret')).not.toBe(userToken('u2', 'secret'));
  });
});

describe('path spellings', () => {
  it.each([
    ['upper-prefix', '/V1/users/u1'],
    ['double-slash', '/v1//users/u1'],
    ['encoded-prefix', '/%76%31/users/u1'],
    ['dot-segment', '/v1/./users/u1'],
    ['trailing-slash', '/v1/users/u1/'],
  ] as const)('%s spells /v1/users/u1 as %s', (variant, spelled) => {
    expect(spellPath('/v1/users/u1', variant)).toBe(spelled);
  });

  it('encodes a lone surrogate as its raw three bytes, which no decoder accepts', () => {
    expect(encodeSegment('a\ud800')).toBe('a%ED%A0%80');
    expect(encodeSegment('a b/é')).toBe('a%20b%2F%C3%A9');
  });
});

describe('the oracle', () => {
  it('counts a 2xx to a request not entitled to the route as unauthorised', () => {
    expect(judge(request({}), { status: 200, contentType: 'application/json', body: '{}' })).toEqual(['unauthorised']);
    expect(judge(request({}), refusal(401))).toEqual([]);
    expect(judge(request({ entitled: true }), { status: 200, contentType: 'application/json', body: '{}' })).toEqual([]);
  });

  it('counts a 5xx and no answer at all as 5xx', () => {
    expect(judge(request({ entitled: true }), { status: 500, contentType: 'application/json', body: '{}' })).toEqual(['5xx']);
    expect(judge(request({ entitled: true }), { status: null, contentType: '', body: '', failure: 'no answer within 10 ms' })).toEqual([
      '5xx',
    ]);
  });

  it('takes a connection closed on a body past the 5 MB limit as a refusal, and only there', () => {
    const huge = request({ entitled: true, method: 'POST', body: 'x'.repeat(6 * 1024 * 1024) });
    const closed = { status: null, contentType: '', body: '', failure: 'write EPIPE' };
    expect(judge(huge, closed)).toEqual([]);
    expect(judge(request({ entitled: true, method: 'POST', body: '{}' }), closed)).toEqual(['5xx']);
  });

  it('wants every 4xx to name a field, except HEAD answers and public HTML pages', () => {
    expect(judge(request({}), refusal(401, ''))).toEqual(['no-field-path']);
    expect(judge(request({}), { status: 404, contentType: 'text/html', body: '<h1>no</h1>' })).toEqual(['no-field-path']);
    expect(judge(request({ method: 'HEAD' }), { status: 401, contentType: '', body: '' })).toEqual([]);
    expect(
      judge(request({ requirement: 'public', entitled: true }), { status: 404, contentType: 'text/html', body: '<h1>gone</h1>' }),
    ).toEqual([]);
  });
});

describe('documents that must be refused', () => {
  it('are the hostile settings and campaigns whose condition path is no plain JSON path', () => {
    expect(mustBeRefused('PUT', '/v1/settings', HOSTILE_SETTINGS[0])).toBe(true);
    expect(mustBeRefused('PUT', '/v1/settings', { defaultTimezone: 'Europe/Madrid' })).toBe(false);
    const withPath = (path: string) => ({ trigger: { conditions: { all: [{ fact: 'event', path }] } } });
    expect(mustBeRefused('POST', '/v1/campaigns/validate', withPath('$..a'))).toBe(true);
    expect(mustBeRefused('POST', '/v1/campaigns/validate', withPath('$.properties.cartValue'))).toBe(false);
  });

  it('count as accepted-hostile when they get a 2xx', () => {
    const hostile = request({ entitled: true, mustRefuse: true, method: 'PUT' });
    expect(judge(hostile, { status: 200, contentType: 'application/json', body: '{}' })).toEqual(['accepted-hostile']);
    expect(judge(hostile, refusal(400, 'providers.sms.accountSidEnv'))).toEqual([]);
  });
});

describe('request generation', () => {
  const routes = routesOfControllers('rules', controllersOfModule(RootModule.forRoot()));
  const keys = fuzzKeys(1);

  it('is the same for the same seed, and aims at every route without a credential first', () => {
    const a = generateRequests(routes, keys, 42, 200);
    expect(generateRequests(routes, keys, 42, 200)).toEqual(a);
    expect(a).toHaveLength(200);
    const bare = a.filter((r) => r.kind === 'no-credential').map((r) => r.route);
    expect(new Set(bare)).toEqual(new Set(routes.map((r) => `${r.method} ${r.path}`)));
  });

  it('sends every named hostile document once, whatever the count', () => {
    const settings = routesOfControllers('rules', [SettingsController]);
    const requests = generateRequests(settings, keys, 3, 30);
    const sent = requests.filter((r) => r.kind === 'hostile-body').map((r) => JSON.parse(r.body as string));
    expect(sent).toEqual(expect.arrayContaining([...HOSTILE_SETTINGS]));
    expect(requests.filter((r) => r.mustRefuse).length).toBeGreaterThanOrEqual(HOSTILE_SETTINGS.length);
  });

  it('sends a quarter or so valid requests and marks which are entitled', () => {
    const requests = generateRequests(routes, keys, 7, 1_000);
    const valid = requests.filter((r) => r.kind === 'valid');
    expect(valid.length).toBeGreaterThan(150);
    expect(valid.every((r) => r.entitled)).toBe(true);
    expect(requests.some((r) => !r.entitled)).toBe(true);
  });
});
