import fc from 'fast-check';

/** Strings that have broken parsers, databases and loggers before. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0003\u001b[31m',
  '\r\n\t',
  '\u007f\u0085',
  '\ud800',
  'x\udfffy',
  '\udbff\udc00\udc00',
  '\u202eevil\u202c',
  '\u200f\u200e',
  '\u200b\u200c\u200d\ufeff',
  'e\u0301\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\uffff\ufffe',
  '../../etc/passwd',
  '%2e%2e%2f',
  '%00',
  "' OR 1=1 --",
  '"; DROP TABLE messages; --',
  '{{ 7 | times: 7 }}',
  '{% raw %}',
  '$..a',
  '__proto__',
  'constructor',
  'toString',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  'A'.repeat(257),
  'B'.repeat(5_000),
];

/** A string likely to be refused somewhere: control characters, lone surrogates, RTL and zero-width marks, overlong text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...ODD_STRINGS), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }))
      .map(([odd, plain]) => `${plain}${odd}${plain}`),
  },
);

/** A value of the wrong type for almost any field. */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(-1, 0, 1.5, 2 ** 53 + 1, -(2 ** 31), 1e308),
  hostileString,
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** JSON nested `depth` levels deep (arrays or objects). */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** The JSON text of an object roughly `bytes` long: one long string or many keys. */
export function hugeJson(bytes: number, shape: 'string' | 'keys'): string {
  if (shape === 'string') return JSON.stringify({ text: 'x'.repeat(bytes) });
  const keys = Math.max(1, Math.floor(bytes / 12));
  const parts: string[] = [];
  for (let i = 0; i < keys; i++) parts.push(`"k${i}":${i}`);
  return `{${parts.join(',')}}`;
}

/** Arbitrary JSON values (bounded) with hostile strings mixed in. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.oneof(hostileString, wrongTypeValue), { maxKeys: 4 }) },
);
