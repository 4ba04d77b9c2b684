/**
 * The paths a condition may name: plain JSON paths, a `$` followed by steps that each name one
 * key or one list position — `$.properties.cartValue`, `$.items[0].sku`, `$['odd key']`,
 * `$["odd key"]`. Nothing that searches or computes: no filters `[?(…)]`, scripts `(@…)`,
 * recursive descent `..`, wildcards `*`, slices, unions or regular expressions. So a path is
 * data, never code, and resolving one is a walk down own properties. The names of JavaScript's
 * object machinery (`__proto__`, `constructor`, `prototype`) are refused as keys too: no event or
 * profile means them, and code that copies objects treats `__proto__` as no ordinary key.
 */

/** A key of an object, or a position in a list. */
export type JsonPathStep = string | number;

export type ParsedJsonPath = { ok: true; steps: readonly JsonPathStep[] } | { ok: false; reason: string };

const OBJECT_MACHINERY: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Longest path text accepted; far beyond any real document's nesting. */
export const MAX_JSON_PATH_LENGTH = 256;

const DOTTED_KEY = /^\.([\p{L}\p{N}_-]+)/u;
const INDEX = /^\[(0|[1-9][0-9]{0,8})\]/;
const QUOTED_KEY = /^\[(?:'((?:[^'\\]|\\['\\])*)'|"((?:[^"\\]|\\["\\])*)")\]/;

/** What a refused path has that is not allowed, said for the common cases. */
const REFUSALS: readonly [RegExp, string][] = [
  [/^\.\./, 'recursive descent (..) is not allowed'],
  [/^\[\?/, 'filters [?(...)] are not allowed'],
  [/^\[\(/, 'script expressions [(...)] are not allowed'],
  [/^(\.\*|\[\*\])/, 'wildcards (*) are not allowed'],
  [/^\[-?[0-9]*:/, 'slices are not allowed'],
  [/^\[[^\]]*,/, 'unions are not allowed'],
  [/^\[-/, 'a list position must be 0 or more'],
];

/** The steps of a plain JSON path, or why it is not one. Never throws. */
export function parseJsonPath(path: unknown): ParsedJsonPath {
  if (typeof path !== 'string') return refused('it is not text');
  if (path.length > MAX_JSON_PATH_LENGTH) return refused(`it is longer than ${MAX_JSON_PATH_LENGTH} characters`);
  if (!path.startsWith('$')) return refused('it does not start with $');
  const steps: JsonPathStep[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const index = INDEX.exec(rest);
    const dotted = index ? null : DOTTED_KEY.exec(rest);
    const quoted = index || dotted ? null : QUOTED_KEY.exec(rest);
    const at = path.length - rest.length;
    const key = dotted ? (dotted[1] as string) : quoted ? unescape(quoted[1] ?? quoted[2] ?? '') : undefined;
    if (index) steps.push(Number(index[1]));
    else if (key === undefined) return refused(refusalOf(rest, at));
    else if (OBJECT_MACHINERY.has(key)) return refused(`the key ${JSON.stringify(key)} is not allowed (at character ${at + 1})`);
    else steps.push(key);
    rest = rest.slice((index ?? dotted ?? quoted)?.[0].length ?? rest.length);
  }
  return { ok: true, steps: Object.freeze(steps) };
}

/**
 * The value at `steps` inside `root`: each step reads an own property only (never `constructor`,
 * `__proto__` or anything else inherited), a number only from a list; anything else is undefined.
 */
export function resolveJsonPath(root: unknown, steps: readonly JsonPathStep[]): unknown {
  let value = root;
  for (const step of steps) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (typeof step === 'number' && !Array.isArray(value)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, step)) return undefined;
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

/** Why `rest` (starting at index `at` of the path) is no step of a plain path. */
function refusalOf(rest: string, at: number): string {
  const known = REFUSALS.find(([pattern]) => pattern.test(rest));
  const what = known ? known[1] : `unexpected ${JSON.stringify(rest.slice(0, 16))}`;
  return `${what} (at character ${at + 1})`;
}

function unescape(key: string): string {
  return key.replace(/\\(['"\\])/g, '$1');
}

function refused(reason: string): ParsedJsonPath {
  return { ok: false, reason };
}
