import fc from 'fast-check';
import { FUZZ_BROADCASTS, FUZZ_CAMPAIGNS, FUZZ_USERS } from './bodies';
import { hostileString } from './hostile-values';

/**
 * Path parameters and path spellings. A path is sent on the wire exactly as built here
 * (node:http, not fetch, which would resolve `/./` and re-encode), so the services see
 * the variants an attacker would send.
 */

const PROVIDERS = [
  'sandbox',
  'twilio',
  'telegram',
  'vk',
  'viber',
  'whatsapp-cloud',
  'messenger',
  'smsapi',
  'fcm',
  'webpush',
  'smtp',
  'nope',
];

/** A plausible value for a parameter of `route`, by its name: the run's own users, campaigns and broadcasts mostly. */
export function plausibleParam(name: string, route: string): fc.Arbitrary<string> {
  if (/user/i.test(name)) return fc.constantFrom(...FUZZ_USERS);
  if (name === 'provider') return fc.constantFrom(...PROVIDERS);
  if (name === 'id' && route.includes('/broadcasts/')) return fc.oneof(fc.constantFrom(...FUZZ_BROADCASTS), fc.uuid());
  if (name === 'id') return fc.oneof(fc.constantFrom(...FUZZ_CAMPAIGNS), fc.uuid());
  return fc.oneof(
    fc.uuid(),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).filter((s) => /^[\w-]+$/.test(s)),
  );
}

/** A parameter value chosen to hurt: control characters, lone surrogates, overlong, path tricks. */
export const hostileParam: fc.Arbitrary<string> = hostileString.filter((s) => s.length > 0);

/**
 * `value` as one path segment: UTF-8 percent-encoding, except that a lone surrogate
 * becomes its three raw (invalid) UTF-8 bytes, which `encodeURIComponent` refuses to write.
 */
export function encodeSegment(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(char).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    }
  }
  return out;
}

/** `template` with its `:params` replaced by their encoded values. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => encodeSegment(values[name] ?? 'x'));
}

/** How a path can be spelled to reach the same handler in a lenient router. */
export const PATH_VARIANTS = [
  'exact',
  'upper-prefix',
  'mixed-case',
  'double-slash',
  'encoded-prefix',
  'dot-segment',
  'dot-dot',
  'trailing-slash',
  'backslash',
] as const;
export type PathVariant = (typeof PATH_VARIANTS)[number];

/** `path` (already encoded) spelled as `variant`; only the fixed first segment changes, never a parameter. */
export function spellPath(path: string, variant: PathVariant): string {
  const [, first = '', rest = ''] = /^\/([^/]*)(.*)$/.exec(path) ?? [];
  switch (variant) {
    case 'exact':
      return path;
    case 'upper-prefix':
      return `/${first.toUpperCase()}${rest}`;
    case 'mixed-case':
      return `/${[...first].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('')}${rest.replace(/^\/([a-z])/, (_, c: string) => `/${c.toUpperCase()}`)}`;
    case 'double-slash':
      return rest ? `/${first}/${rest}` : `//${first}`;
    case 'encoded-prefix':
      return `/${[...first].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}${rest}`;
    case 'dot-segment':
      return `/${first}/.${rest || '/'}`;
    case 'dot-dot':
      return `/${first}/x/..${rest || '/'}`;
    case 'trailing-slash':
      return path.endsWith('/') ? `${path}/` : `${path}/`;
    case 'backslash':
      return `/${first}\\${rest.replace(/^\//, '')}`;
  }
}

/** Query strings, hostile or not. */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'limit=-1',
    'limit=1e309',
    'limit=abc',
    'limit=99999999999',
    'userId=a&userId=b',
    'userId[$ne]=x',
    'userId=%00',
    'campaignId=%ED%A0%80',
    '__proto__[x]=1',
    'a=' + 'b'.repeat(9000),
  ),
  fc
    .tuple(fc.constantFrom('userId', 'campaignId', 'limit', 'status', 'since', 'cursor'), hostileString)
    .map(([k, v]) => `${k}=${encodeSegment(v)}`),
);
