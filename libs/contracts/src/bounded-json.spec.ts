import { boundedJsonObject, JSON_FIELD_LIMITS, jsonLimitIssue } from './bounded-json';
import { formatPath } from './errors';

/** An object nested `levels` deep: `{ a: { a: … {} } }`, the outer object being level 1. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
/** `{"s":"xxx…"}`: 8 bytes of JSON around the string. */
const ofBytes = (bytes: number) => ({ s: 'x'.repeat(bytes - 8) });
const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

function issueAt(value: unknown): { path: string; message: string } | null {
  const issue = jsonLimitIssue(value);
  return issue && { path: formatPath(['properties', ...issue.path]), message: issue.message };
}

describe('JSON limits', () => {
  it.each([
    ['depth 8', nested(8)],
    ['256 keys', keys(256)],
    ['1000 array items', { list: Array.from({ length: 1000 }, () => 1) }],
    ['exactly 32 KB serialised', ofBytes(32 * 1024)],
    ['strings with newlines, tabs and other controls but NUL', { note: 'line 1\nline 2\t\u0001\u001f' }],
    ['keys and values in any script', { ключ: 'значение', 名前: '😀' }],
    ['an empty object', {}],
  ])('keeps %s', (_case, value) => {
    expect(jsonLimitIssue(value)).toBeNull();
  });

  it.each([
    ['depth 9, at the level too deep', nested(9), 'properties.a.a.a.a.a.a.a.a', /deeper than 8 levels/],
    ['depth 9 through an array', { a: { a: { a: { a: { a: { a: { list: [{}] } } } } } } }, 'properties.a.a.a.a.a.a.list[0]', /deeper/],
    ['257 keys, at the object', { inner: keys(257) }, 'properties.inner', /257 keys; at most 256/],
    ['1001 array items', { list: Array.from({ length: 1001 }, () => 1) }, 'properties.list', /1001 items; at most 1000/],
    ['one byte over 32 KB, at the field', ofBytes(32 * 1024 + 1), 'properties', /at most 32768 bytes/],
    ['NUL in a value', { a: { note: 'x\u0000y' } }, 'properties.a.note', /NUL/],
    ['NUL in a key', { a: { 'no\u0000te': 'x' } }, 'properties.a.no\\u0000te', /key must not contain NUL/],
    ['NUL in an array item', { tags: ['ok', '\u0000'] }, 'properties.tags[1]', /NUL/],
  ])('refuses %s', (_case, value, path, message) => {
    expect(issueAt(value)).toEqual({ path, message: expect.stringMatching(message) });
  });

  it.each([
    ['ASCII', { a: 'plain', b: [1, 2.5, -3e-7, true, false, null] }],
    ['two-byte UTF-8', { é: 'ñandú' }],
    ['three-byte UTF-8', { '€': '用户' }],
    ['four-byte UTF-8 (surrogate pairs)', { s: '😀👨‍👩‍👧' }],
    ['escaped quotes and backslashes', { 'q"': '\\"\\' }],
    ['short and long control escapes', { s: '\n\t\r\b\f\u0001\u001f' }],
    ['lone surrogates, escaped as Node writes them', { s: '\uD83D x \uDE00' }],
    ['nested arrays and objects', { a: [[], {}, [{ b: [1] }]], c: { d: {} } }],
  ])('counts the size JSON.stringify writes, to the byte: %s', (_case, value) => {
    const size = bytesOf(value);
    expect(jsonLimitIssue(value, { ...JSON_FIELD_LIMITS, maxBytes: size })).toBeNull();
    expect(jsonLimitIssue(value, { ...JSON_FIELD_LIMITS, maxBytes: size - 1 })?.path).toEqual([]);
  });

  it('stops at the size limit without reading the rest of a huge value', () => {
    const huge = { s: 'x'.repeat(4 * 1024 * 1024), deep: nested(50) };
    expect(jsonLimitIssue(huge)?.path).toEqual([]);
  });

  it('does not descend a value nested thousands of levels deep', () => {
    expect(jsonLimitIssue(nested(100_000))?.path).toHaveLength(8);
  });

  it('refuses values JSON cannot hold', () => {
    expect(jsonLimitIssue({ n: Number.NaN })).toEqual({ path: ['n'], message: 'must be a finite number' });
    expect(jsonLimitIssue({ f: () => 1 })?.path).toEqual(['f']);
  });

  it('refuses a __proto__ key, which Object.assign would take for the prototype', () => {
    expect(jsonLimitIssue(JSON.parse('{"a": {"__proto__": {"isAdmin": true}}}'))).toEqual({
      path: ['a', '__proto__'],
      message: 'key __proto__ is not allowed',
    });
  });

  it.each([
    ['an array', [1]],
    ['a string', 'x'],
    ['null', null],
  ])('as a schema, refuses %s where an object belongs', (_case, value) => {
    expect(boundedJsonObject().safeParse(value).error?.issues[0]).toMatchObject({ code: 'invalid_type', path: [] });
  });

  it('as a schema, passes the object through unchanged', () => {
    const value = { a: [1, { b: 'c' }] };
    expect(boundedJsonObject().parse(value)).toEqual(value);
  });

  it('as a schema, reports the issue at its path', () => {
    const result = boundedJsonObject().safeParse({ a: { b: 'x\u0000' } });
    expect(result.error?.issues.map((i) => i.path)).toEqual([['a', 'b']]);
  });
});
