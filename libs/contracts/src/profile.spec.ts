import { formatPath } from './errors';
import { emptyProfile, mergeProfile, profileUpdateSchema } from './profile';

const change = { at: '2026-11-24T10:00:00.000Z', source: 'api' };

describe('mergeProfile', () => {
  it('merges attributes key by key and keeps what the update does not name', () => {
    const first = mergeProfile(emptyProfile('u1', change.at), { attributes: { firstName: 'Ana', tier: 'gold' } }, change);
    const second = mergeProfile(first, { attributes: { tier: 'silver' }, timezone: 'Europe/Madrid' }, change);
    expect(second.attributes).toEqual({ firstName: 'Ana', tier: 'silver' });
    expect(second.timezone).toBe('Europe/Madrid');
    expect(second.version).toBe(2);
  });

  it('clears a field set to null', () => {
    const withZone = mergeProfile(emptyProfile('u1', change.at), { timezone: 'Europe/Madrid' }, change);
    expect(mergeProfile(withZone, { timezone: null }, change).timezone).toBeUndefined();
  });

  it('records when and from where each consent value changed (proof of opt-in)', () => {
    const optedIn = mergeProfile(
      emptyProfile('u1', change.at),
      { channels: { sms: { address: '+34600000001', consent: { marketing: true } } } },
      change,
    );
    expect(optedIn.channels.sms?.consentLog?.marketing).toEqual({ value: true, at: change.at, source: 'api' });
    const later = { at: '2026-11-25T09:00:00.000Z', source: 'inbound:STOP' };
    const optedOut = mergeProfile(optedIn, { channels: { sms: { consent: { marketing: false } } } }, later);
    expect(optedOut.channels.sms).toMatchObject({
      address: '+34600000001',
      consent: { marketing: false },
      consentLog: { marketing: { value: false, ...later } },
    });
  });

  it('does not log a consent value that did not change', () => {
    const once = mergeProfile(emptyProfile('u1', change.at), { channels: { sms: { consent: { marketing: true } } } }, change);
    const again = mergeProfile(
      once,
      { channels: { sms: { consent: { marketing: true } } } },
      { at: '2027-01-01T00:00:00.000Z', source: 'import' },
    );
    expect(again.channels.sms?.consentLog?.marketing?.at).toBe(change.at);
  });
});

describe('profileUpdateSchema', () => {
  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ country: 'Spain' }, 'country'],
    [{ channels: { pigeon: { address: 'x' } } }, 'channels.pigeon'],
    [{ channels: { sms: { consent: { marketing: 'yes' } } } }, 'channels.sms.consent.marketing'],
    [{ nickname: 'x' }, ''],
  ])('rejects %j at %s', (update, path) => {
    const result = profileUpdateSchema.safeParse(update);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('profile limits', () => {
  const change = { at: '2026-11-23T10:00:00.000Z', source: 'api' };
  const keys = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, true]));
  const paths = (update: unknown) => profileUpdateSchema.safeParse(update).error?.issues.map((i) => formatPath(i.path)) ?? [];

  it.each([
    ['attributes of 256 keys', { attributes: keys(256) }],
    ['256 topics', { preferences: { topics: keys(256) } }],
    ['a 512-character address', { channels: { email: { address: `${'a'.repeat(500)}@example.com` } } }],
    ['a topic name in another script', { preferences: { topics: { 'ofertas-café': true } } }],
    ['a locale with a script and region', { locale: 'zh-Hant-TW' }],
  ])('accepts %s', (_case, update) => {
    expect(paths(update)).toEqual([]);
  });

  it.each([
    ['attributes of 257 keys', 'attributes', { attributes: keys(257) }],
    ['attributes nested 9 deep', 'attributes.a.a.a.a.a.a.a.a', { attributes: { a: { a: { a: { a: { a: { a: { a: { a: {} } } } } } } } } }],
    ['NUL in an attribute', 'attributes.firstName', { attributes: { firstName: 'Ana\u0000' } }],
    ['attributes over 32 KB', 'attributes', { attributes: { bio: 'x'.repeat(33 * 1024) } }],
    ['257 topics', 'preferences.topics', { preferences: { topics: keys(257) } }],
    ['a control character in a topic name', 'preferences.topics.promo\u0007', { preferences: { topics: { 'promo\u0007': true } } }],
    ['a 257-character topic name', `preferences.topics.${'t'.repeat(257)}`, { preferences: { topics: { ['t'.repeat(257)]: true } } }],
    ['a 513-character address', 'channels.email.address', { channels: { email: { address: 'a'.repeat(513) } } }],
    ['a line break in an address', 'channels.sms.address', { channels: { sms: { address: '+34600000001\r\nBcc: x' } } }],
    ['a locale that is not a language tag', 'locale', { locale: 'es ES; drop' }],
  ])('refuses %s, naming %s', (_case, path, update) => {
    expect(paths(update)).toEqual([path]);
  });

  it('refuses an update whose attributes, merged with the stored ones, break the limits', () => {
    const stored = mergeProfile(emptyProfile('u1', change.at), { attributes: keys(200, 'a') }, change);
    expect(() => mergeProfile(stored, { attributes: keys(100, 'b') }, change)).toThrow(
      expect.objectContaining({ details: [{ path: 'attributes', message: expect.stringMatching(/300 keys/) }] }),
    );
  });

  it('refuses an update whose topics, merged with the stored ones, are more than 256', () => {
    const stored = mergeProfile(emptyProfile('u1', change.at), { preferences: { topics: keys(200, 'a') } }, change);
    expect(() => mergeProfile(stored, { preferences: { topics: keys(100, 'b') } }, change)).toThrow(
      expect.objectContaining({ details: [{ path: 'preferences.topics', message: expect.stringMatching(/300/) }] }),
    );
  });
});
