import { KnownUsers, KNOWN_USER_TTL_MS, NO_ALIAS_TTL_MS } from './known-users';

function aKnownUsers(aliases: Record<string, string>, capacity = 100) {
  let now = 1_000;
  const lookups: string[][] = [];
  const cache = new KnownUsers(
    async (ids) => {
      lookups.push(ids);
      return new Map(ids.flatMap((id) => (aliases[id] ? [[id, aliases[id]] as [string, string]] : [])));
    },
    () => now,
    capacity,
  );
  return { cache, lookups, advance: (ms: number) => (now += ms) };
}

describe('KnownUsers', () => {
  it('answers the known user of merged ids only, looking each id up once while it is fresh', async () => {
    const { cache, lookups } = aKnownUsers({ 'anon-1': 'u1' });
    expect(await cache.resolve(['anon-1', 'anon-2', 'anon-1'])).toEqual(new Map([['anon-1', 'u1']]));
    expect(await cache.resolve(['anon-1', 'anon-2'])).toEqual(new Map([['anon-1', 'u1']]));
    expect(lookups).toEqual([['anon-1', 'anon-2']]);
  });

  it('looks an id without an alias up again soon (an alias may come), a merged one later', async () => {
    const { cache, lookups, advance } = aKnownUsers({ 'anon-1': 'u1' });
    await cache.resolve(['anon-1', 'anon-2']);
    advance(NO_ALIAS_TTL_MS);
    await cache.resolve(['anon-1', 'anon-2']);
    advance(KNOWN_USER_TTL_MS);
    await cache.resolve(['anon-1']);
    expect(lookups).toEqual([['anon-1', 'anon-2'], ['anon-2'], ['anon-1']]);
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const { cache, lookups } = aKnownUsers({}, 2);
    await cache.resolve(['a', 'b']);
    await cache.resolve(['a']);
    await cache.resolve(['c']);
    await cache.resolve(['a', 'b']);
    expect(lookups).toEqual([['a', 'b'], ['c'], ['b']]);
  });

  it('knows an alias it made at once, and forgets what it knew of ids merged into the previous id', async () => {
    const { cache, lookups } = aKnownUsers({ 'anon-0': 'anon-1' });
    await cache.resolve(['anon-0', 'anon-1']);
    cache.remember('anon-1', 'u1');
    expect(await cache.resolve(['anon-1'])).toEqual(new Map([['anon-1', 'u1']]));
    await cache.resolve(['anon-0']);
    expect(lookups).toEqual([['anon-0', 'anon-1'], ['anon-0']]);
  });
});
