import { parseJsonPath, resolveJsonPath } from './json-path';

describe('plain JSON paths', () => {
  it.each([
    ['$', []],
    ['$.a.b', ['a', 'b']],
    ['$.properties.cartValue', ['properties', 'cartValue']],
    ['$.a[0].b', ['a', 0, 'b']],
    ['$.items[12]', ['items', 12]],
    ["$['odd key']", ['odd key']],
    ['$["odd key"]', ['odd key']],
    ["$['it\\'s'].x", ["it's", 'x']],
    ["$['a.b']['[0]']", ['a.b', '[0]']],
    ['$.steps.welcome-email.clicked', ['steps', 'welcome-email', 'clicked']],
    ['$.attributes.prénom', ['attributes', 'prénom']],
  ])('%s is accepted as %j', (path, steps) => {
    expect(parseJsonPath(path)).toEqual({ ok: true, steps });
  });

  it.each([
    ['$..a', 'recursive descent'],
    ['$.a..b', 'recursive descent'],
    ['$.a[?(@.b>1)]', 'filters'],
    ['$.properties.items[?(@.size.length > 1)].size', 'filters'],
    ['$[(@.length-1)]', 'script expressions'],
    ["$.a[?(@.constructor.constructor('return process')())]", 'filters'],
    ['$.a[*]', 'wildcards'],
    ['$.*', 'wildcards'],
    ['$.a[0:2]', 'slices'],
    ['$.a[0,1]', 'unions'],
    ["$['a','b']", 'unions'],
    ['$.a[-1]', 'a list position must be 0 or more'],
    ['$.name[?(@ =~ /x/)]', 'filters'],
    ['$.a.', 'unexpected'],
    ['$.a b', 'unexpected'],
    ['$.a[01]', 'unexpected'],
    ["$['unclosed", 'unexpected'],
    ['properties.cartValue', 'does not start with $'],
    ['@.a', 'does not start with $'],
    [`$${'.a'.repeat(200)}`, 'longer than 256 characters'],
    ['$.constructor', 'the key "constructor" is not allowed'],
    ['$.__proto__', 'the key "__proto__" is not allowed'],
    ['$.__proto__.polluted', 'the key "__proto__" is not allowed'],
    ["$.a['__proto__']", 'the key "__proto__" is not allowed (at character 4)'],
    ['$.a.prototype', 'the key "prototype" is not allowed'],
  ])('%s is refused: %s', (path, reason) => {
    const parsed = parseJsonPath(path);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it.each([null, 42, { path: '$.a' }])('%j, not text, is refused', (path) => {
    expect(parseJsonPath(path)).toEqual({ ok: false, reason: 'it is not text' });
  });
});

describe('resolveJsonPath', () => {
  const fact = JSON.parse(
    '{"a":{"b":1,"list":[{"sku":"A1"},{"sku":"B2"}],"odd key":true,"constructor":"own","__proto__":"own too"},"n":null}',
  );

  it.each([
    ['$', fact],
    ['$.a.b', 1],
    ['$.a.list[1].sku', 'B2'],
    ['$.a.list', [{ sku: 'A1' }, { sku: 'B2' }]],
    ["$.a['odd key']", true],
    ['$.n', null],
    ['$.a.missing', undefined],
    ['$.a.list[5].sku', undefined],
    ['$.a.b.c', undefined],
    ['$.n.x', undefined],
    ['$.a[0]', undefined],
    ["$.a.list['0'].sku", 'A1'],
  ])('%s resolves to %j', (path, expected) => {
    const parsed = parseJsonPath(path);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(resolveJsonPath(fact, parsed.steps)).toEqual(expected);
  });

  it.each([
    [['constructor']],
    [['__proto__']],
    [['toString']],
    [['hasOwnProperty']],
    [['list', 'map']],
    [['list', 'length', 'constructor']],
  ])('steps %j read nothing inherited', (steps) => {
    expect(resolveJsonPath({ list: [1] }, steps)).toBeUndefined();
  });

  it('reads own keys even with the names of object machinery, as JSON.parse makes them', () => {
    expect(resolveJsonPath(fact, ['a', 'constructor'])).toBe('own');
    expect(resolveJsonPath(fact, ['a', '__proto__'])).toBe('own too');
  });
});
