import fc from 'fast-check';
import { anyJson, hostileString, wrongTypeValue } from './hostile-values';

/**
 * Request bodies by route: a valid one (so the happy paths run too) and hostile ones aimed
 * at what that route parses — templates, condition paths, provider settings, addresses.
 * Every URL a body names is a loopback address: the run never makes anything talk to
 * another host, even where a service wrongly accepts the document.
 */

/** The users and campaigns the run's valid requests share, so they meet each other's data. */
export const FUZZ_USERS = Array.from({ length: 8 }, (_, i) => `fz-u${i}`);
export const FUZZ_CAMPAIGNS = Array.from({ length: 6 }, (_, i) => `fz-c${i}`);
export const FUZZ_BROADCASTS = Array.from({ length: 3 }, (_, i) => `fz-b${i}`);
export const FUZZ_EVENTS = ['fz_signup', 'fz_cart', 'Order Completed'];

const LOOPBACK_URLS = [
  'http://127.0.0.1:9/hook',
  'http://127.0.0.2:9/',
  'http://[::1]:9/x',
  'http://localhost:9/x',
  'http://0.0.0.0:9/',
  'http://2130706433:9/',
  'http://0x7f000001:9/',
  'http://127.1:9/',
  'http://[::ffff:127.0.0.1]:9/',
];

const now = () => new Date().toISOString();

const aUser = fc.constantFrom(...FUZZ_USERS);
const anEventName = fc.constantFrom(...FUZZ_EVENTS);
const smallProperties = fc.dictionary(
  fc.constantFrom('cartValue', 'sku', 'plan', 'n'),
  fc.oneof(fc.integer(), fc.string({ maxLength: 8 })),
  {
    maxKeys: 3,
  },
);

const validEvent = fc.record({
  userId: aUser,
  name: anEventName,
  timestamp: fc.constant(null).map(now),
  properties: smallProperties,
});

const validProfile = fc.record(
  {
    attributes: fc.record({ firstName: fc.constantFrom('Ana', 'Li', 'Zoë') }),
    timezone: fc.constantFrom('Europe/Madrid', 'UTC', 'America/New_York'),
    country: fc.constantFrom('ES', 'US'),
    channels: fc.constant({
      sms: { address: '+34600000001', consent: { marketing: true, transactional: true } },
      inapp: { address: 'inbox', consent: { marketing: true, transactional: true } },
    }),
  },
  { requiredKeys: ['attributes'] },
);

const SAFE_BODIES = [
  'Hi {{ profile.attributes.firstName | default: "there" }}',
  'Your cart: {{ event.properties.cartValue }}',
  'plain text',
];
const VALID_PATHS = ['$.properties.cartValue', '$.properties.items[0].sku', "$.properties['odd key']"];

function campaign(id: string, body: string, path: string, channel = 'sms'): Record<string, unknown> {
  return {
    id,
    name: `fuzz ${id}`,
    category: 'transactional',
    status: 'active',
    trigger: { event: 'fz_cart', conditions: { all: [{ fact: 'event', path, operator: 'greaterThan', value: 10 }] } },
    delay: 'PT0S',
    message: { channel, sender: 'ACME', body },
  };
}

const validCampaign = (id: fc.Arbitrary<string>) =>
  fc
    .tuple(id, fc.constantFrom(...SAFE_BODIES), fc.constantFrom(...VALID_PATHS), fc.constantFrom('sms', 'inapp'))
    .map(([i, b, p, c]) => campaign(i, b, p, c));

/** Templates that try to exhaust the renderer: huge loops, nested loops, growing strings. */
export const LIQUID_BOMBS: readonly string[] = [
  '{% for i in (1..100000000) %}x{% endfor %}',
  '{% for i in (1..100000) %}{% for j in (1..100000) %}{% for k in (1..100000) %}x{% endfor %}{% endfor %}{% endfor %}',
  '{% assign s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s }}',
  '{% capture a %}{% for i in (1..1000000) %}{{ i }}{% endfor %}{% endcapture %}{{ a }}{{ a }}{{ a }}',
  `${'{% if true %}'.repeat(5000)}x${'{% endif %}'.repeat(5000)}`,
  '{{ "x" | append: "x" | append: "x" }}'.repeat(2000),
  '{% include "/etc/passwd" %}',
  '{% render "../../../etc/passwd" %}',
  '{{ profile.constructor.constructor("return process")().env }}',
  '{%',
  '{{ }}}}',
  'x'.repeat(17 * 1024),
];

/** Condition paths that a script-evaluating JSONPath engine would run or search with. */
export const HOSTILE_PATHS: readonly string[] = [
  '$..a',
  '$[?(@.x)]',
  '$[?(@.constructor.constructor("return process")().exit())]',
  '$[(@.length-1)]',
  '$.properties[*]',
  '$.properties[0:1000000000]',
  '$.properties[a,b]',
  '$..*',
  '$.__proto__.polluted',
  "$['a'",
  '$.' + 'a.'.repeat(500) + 'a',
  'properties.cartValue',
  '',
];

const hostileCampaign = (id: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.tuple(id, fc.constantFrom(...LIQUID_BOMBS)).map(([i, body]) => campaign(i, body, '$.properties.cartValue')),
    fc.tuple(id, fc.constantFrom(...HOSTILE_PATHS)).map(([i, path]) => campaign(i, 'hello', path)),
    fc.tuple(id, fc.constantFrom(...HOSTILE_PATHS)).map(([i, path]) => ({
      ...campaign(i, 'hello', '$.properties.cartValue'),
      steps: [
        { id: 'b', type: 'branch', branches: [{ when: { all: [{ fact: 'event', path, operator: 'equal', value: 1 }] }, next: 'x' }] },
      ],
      message: undefined,
    })),
  );

/** Settings documents that try to read the service's own environment or send to a host of their choice. */
export const HOSTILE_SETTINGS: readonly Record<string, unknown>[] = [
  {
    providers: { sms: { provider: 'twilio', accountSidEnv: 'DATABASE_URL', authTokenEnv: 'NUDGE_API_KEY', baseUrl: 'http://127.0.0.1:9' } },
  },
  { providers: { sms: { provider: 'twilio', accountSidEnv: 'NUDGE_INBOX_SECRET', authTokenEnv: 'PATH', baseUrl: 'http://127.0.0.1:9' } } },
  {
    providers: {
      sms: { provider: 'twilio', accountSidEnv: 'NUDGE_SECRET_X', authTokenEnv: 'NUDGE_SECRET_Y', baseUrl: 'http://127.0.0.2:9/steal' },
    },
  },
  { providers: { webhook: { provider: 'webhook', url: 'http://127.0.0.1:9/x', secretEnv: 'DATABASE_URL' } } },
  { providers: { webhook: { provider: 'webhook', url: 'http://[::1]:9/x', allowedHosts: ['*'] } } },
  { providers: { telegram: { provider: 'telegram', botTokenEnv: 'NUDGE_INGEST_KEY', baseUrl: 'http://localhost:9' } } },
  { providers: { email: { provider: 'smtp', host: '127.0.0.1', port: 9, userEnv: 'DATABASE_URL', passwordEnv: 'NUDGE_API_KEY' } } },
  { providers: { sms: { provider: 'sandbox', rateLimit: '1e308/s' } } },
  { frequencyCaps: [{ max: -1, per: 'P1D' }] },
  { defaultTimezone: 'Mars/Olympus' },
  { countryRules: { ZZ: { hours: { 'mon-sun': '25:00-26:00' } } } },
];

const validSettings = fc.constantFrom<Record<string, unknown>>(
  {},
  { defaultTimezone: 'Europe/Madrid' },
  { providers: { sms: { provider: 'sandbox', rateLimit: '50/s' } } },
);

const validBroadcast = fc.record({
  id: fc.constantFrom(...FUZZ_BROADCASTS),
  name: fc.constant('fuzz broadcast'),
  category: fc.constant('transactional'),
  audience: fc.constant({ topic: 'fz-topic' }),
  message: fc.constant({ channel: 'inapp', body: 'hello' }),
});

/** Condition paths that issue 10 §4 says are a 400 (`$.__proto__.polluted` is a plain key, walked safely). */
const REFUSED_PATHS: ReadonlySet<string> = new Set(HOSTILE_PATHS.filter((p) => p !== '$.__proto__.polluted'));
const REFUSED_SETTINGS: ReadonlySet<string> = new Set(HOSTILE_SETTINGS.map((s) => JSON.stringify(s)));

/**
 * Whether `body`, sent to `method path`, is a document issue 10 says must be refused
 * whole: hostile provider settings (§2), a condition path that is no plain JSON path (§4).
 */
export function mustBeRefused(method: string, path: string, body: unknown): boolean {
  const key = `${method} ${path}`;
  if (key === 'PUT /v1/settings' || key === 'POST /v1/settings/validate') return REFUSED_SETTINGS.has(JSON.stringify(body));
  if (!['PUT /v1/campaigns/:id', 'POST /v1/campaigns/validate', 'POST /v1/broadcasts'].includes(key)) return false;
  const namesRefusedPath = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(namesRefusedPath);
    if (typeof value !== 'object' || value === null) return false;
    return Object.entries(value).some(([k, v]) => (k === 'path' && typeof v === 'string' && REFUSED_PATHS.has(v)) || namesRefusedPath(v));
  };
  return namesRefusedPath(body);
}

/**
 * Every named hostile document `method path` takes, each once: the run sends them all
 * before sampling, so even a short run tries every Liquid bomb, condition path and setting.
 */
export function everyNamedHostileDocument(method: string, path: string, params: Record<string, string>): unknown[] {
  const key = `${method} ${path}`;
  const id = params.id ?? 'fz-c0';
  if (key === 'PUT /v1/settings' || key === 'POST /v1/settings/validate') return [...HOSTILE_SETTINGS];
  if (key === 'PUT /v1/campaigns/:id' || key === 'POST /v1/campaigns/validate') {
    return [
      ...LIQUID_BOMBS.map((body) => campaign(id, body, '$.properties.cartValue')),
      ...HOSTILE_PATHS.map((p) => campaign(id, 'hello', p)),
    ];
  }
  if (key === 'POST /v1/broadcasts') {
    return [
      ...LIQUID_BOMBS.map((body) => ({ name: 'hostile broadcast', audience: { topic: 'fz-topic' }, message: { channel: 'inapp', body } })),
      ...HOSTILE_PATHS.map((p) => ({
        name: 'hostile broadcast',
        audience: { conditions: { all: [{ fact: 'profile', path: p, operator: 'equal', value: 1 }] } },
        message: { channel: 'inapp', body: 'hello' },
      })),
    ];
  }
  return [];
}

/** A valid JSON body for `method path` (a route template), or undefined when it takes none. */
export function validBody(method: string, path: string, params: Record<string, string>): fc.Arbitrary<unknown> | undefined {
  const key = `${method} ${path}`;
  if (key === 'POST /v1/events') return validEvent;
  if (key === 'POST /v1/events/batch') return fc.array(validEvent, { minLength: 1, maxLength: 5 }).map((events) => ({ events }));
  if (key === 'PUT /v1/users/:userId') return validProfile;
  if (key === 'PUT /v1/campaigns/:id') return validCampaign(fc.constant(params.id ?? 'fz-c0'));
  if (key === 'POST /v1/campaigns/validate') return validCampaign(fc.constantFrom(...FUZZ_CAMPAIGNS));
  if (key === 'PUT /v1/settings' || key === 'POST /v1/settings/validate') return validSettings;
  if (key === 'POST /v1/broadcasts') return validBroadcast;
  if (key === 'POST /v1/providers/sandbox/status') {
    return fc.record({ messageId: fc.uuid(), status: fc.constantFrom('delivered', 'failed', 'read') });
  }
  if (key === 'POST /v1/providers/sandbox/inbound')
    return fc.record({ from: fc.constant('+34600000001'), text: fc.constantFrom('STOP', 'hi') });
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') return fc.constant({});
  return undefined;
}

/** Hostile bodies aimed at what `method path` parses. */
export function aimedBody(method: string, path: string, params: Record<string, string>): fc.Arbitrary<unknown> | undefined {
  const key = `${method} ${path}`;
  if (key === 'PUT /v1/campaigns/:id') return hostileCampaign(fc.constant(params.id ?? 'fz-c0'));
  if (key === 'POST /v1/campaigns/validate') return hostileCampaign(fc.constantFrom(...FUZZ_CAMPAIGNS));
  if (key === 'PUT /v1/settings' || key === 'POST /v1/settings/validate') return fc.constantFrom(...HOSTILE_SETTINGS);
  if (key === 'POST /v1/broadcasts') {
    return fc.tuple(fc.constantFrom(...LIQUID_BOMBS), fc.constantFrom(...HOSTILE_PATHS)).map(([body, path]) => ({
      name: 'hostile broadcast',
      audience: { conditions: { all: [{ fact: 'profile', path, operator: 'equal', value: 1 }] } },
      message: { channel: 'inapp', body },
    }));
  }
  if (key === 'PUT /v1/users/:userId') {
    return fc.oneof(
      fc
        .constantFrom(...LOOPBACK_URLS)
        .map((url) => ({ channels: { webhook: { address: url, consent: { transactional: true, marketing: true } } } })),
      hostileString.map((s) => ({ attributes: { [s]: s }, channels: { sms: { address: s } } })),
      fc.constant({ attributes: { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: 1 } } } } } } } } } } }),
      fc.constant({ attributes: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])) }),
    );
  }
  if (key === 'POST /v1/events' || key === 'POST /v1/events/batch') {
    const event = fc.oneof(
      fc.record({ userId: hostileString, name: anEventName, timestamp: fc.constant(null).map(now) }),
      fc.record({ userId: aUser, name: hostileString }),
      fc.record({
        userId: aUser,
        name: anEventName,
        timestamp: fc.constantFrom('1970-01-01T00:00:00Z', '2999-01-01T00:00:00Z', '0000-00-00', 'now'),
      }),
      fc.record({ userId: aUser, name: anEventName, properties: fc.dictionary(hostileString, hostileString, { maxKeys: 4 }) }),
      fc.record({
        userId: aUser,
        name: anEventName,
        properties: fc.constant(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, i]))),
      }),
      fc.record({
        userId: aUser,
        name: anEventName,
        context: fc.constant({ ip: '\u0000', a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }),
      }),
    );
    return key === 'POST /v1/events' ? event : fc.array(event, { minLength: 1, maxLength: 3 }).map((events) => ({ events }));
  }
  return undefined;
}

/** A valid body with one thing wrong: a field dropped, retyped, made hostile, or one added. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), fc.constantFrom('drop', 'retype', 'hostile', 'extra', 'nested'), wrongTypeValue, hostileString)
    .map(([body, pick, how, wrong, odd]) => {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return wrong;
      const copy = structuredClone(body) as Record<string, unknown>;
      const keys = Object.keys(copy);
      const key = keys.length > 0 ? (keys[pick % keys.length] as string) : 'x';
      if (how === 'drop') delete copy[key];
      else if (how === 'retype') copy[key] = wrong;
      else if (how === 'hostile') copy[key] = odd;
      else if (how === 'extra') copy[odd || 'extra'] = wrong;
      else copy[key] = { [odd]: wrong, deeper: [odd, { [key]: wrong }] };
      return copy;
    });
}

/** Anything at all as a body. */
export const anyBody = anyJson;
