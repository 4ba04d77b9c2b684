import { validationPathsOf } from '@nudge/testing';
import { consentHistoryQueryOf, consentProofOf, consentSourceOf, profileRequestOf, profileUpdateOf, userIdOf } from './profile-requests';

describe('profile requests', () => {
  it.each([
    ['an unknown top-level key', 'nickname', { nickname: 'Ana' }],
    ['an unknown channel field', 'channels.sms.number', { channels: { sms: { number: '+34600000001' } } }],
    ['an unknown channel', 'channels.fax', { channels: { fax: { address: '1' } } }],
    ['a time zone that does not exist', 'timezone', { timezone: 'Europe/Atlantis' }],
    ['a lower-case country', 'country', { country: 'es' }],
    ['consent that is not a boolean', 'channels.sms.consent.marketing', { channels: { sms: { consent: { marketing: 'yes' } } } }],
    ['a body that is not an object', '(body)', ['attributes']],
    ['NUL in an attribute', 'attributes.firstName', { attributes: { firstName: 'Ana\u0000' } }],
    ['attributes nested 9 deep', 'attributes.a.a.a.a.a.a.a.a', { attributes: { a: { a: { a: { a: { a: { a: { a: { a: {} } } } } } } } } }],
  ])('an update with %s is rejected, naming %s', (_case, path, body) => {
    expect(validationPathsOf(() => profileUpdateOf(body))).toContain(path);
  });

  it('accepts a userId of 256 characters, in any script', () => {
    expect(userIdOf('ü'.repeat(256))).toBe('ü'.repeat(256));
  });

  it('accepts the update of SPEC §4', () => {
    const update = {
      attributes: { firstName: 'Ana', tier: 'gold' },
      timezone: 'Europe/Madrid',
      country: 'ES',
      locale: 'es-ES',
      channels: { sms: { address: '+34600000001', consent: { marketing: true, transactional: true } } },
      preferences: { topics: { promotions: false }, maxPerWeek: 3 },
    };
    expect(profileUpdateOf(update)).toEqual(update);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['longer than 256 characters', 'u'.repeat(257)],
    ['holding a control character', 'u\u001b1'],
    ['holding NUL', 'u\u0000'],
    ['holding a bidi override', 'u\u202E1'],
  ])('a userId that is %s is rejected, naming userId', (_case, userId) => {
    expect(validationPathsOf(() => userIdOf(userId))).toEqual(['userId']);
  });

  it('takes the consent source from X-Nudge-Source, else api', () => {
    expect(consentSourceOf('signup-form')).toBe('signup-form');
    expect(consentSourceOf(undefined)).toBe('api');
    expect(consentSourceOf('  ')).toBe('api');
    expect(validationPathsOf(() => consentSourceOf('x'.repeat(129)))).toEqual(['X-Nudge-Source']);
    expect(validationPathsOf(() => consentSourceOf('form\u0085'))).toEqual(['X-Nudge-Source']);
  });
});

describe('consent proof of a profile request', () => {
  const origin = { forwardedFor: '203.0.113.7, 10.0.0.1', userAgent: 'Mozilla/5.0 (Android)', remoteAddress: '10.0.0.1' };

  it('takes the first X-Forwarded-For address and the User-Agent of the request', () => {
    expect(consentProofOf({}, origin)).toEqual({ ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (Android)' });
  });

  it('prefers what the body says, field by field', () => {
    const explicit = { ip: '2001:db8::7', textVersion: 'terms-v2' };
    expect(consentProofOf(explicit, origin)).toEqual({ ip: '2001:db8::7', userAgent: 'Mozilla/5.0 (Android)', textVersion: 'terms-v2' });
  });

  it('falls back to the socket address (IPv4-mapped written as IPv4) when X-Forwarded-For is absent or not an address', () => {
    expect(consentProofOf({}, { ...origin, forwardedFor: undefined, remoteAddress: '::ffff:198.51.100.4' }).ip).toBe('198.51.100.4');
    expect(consentProofOf({}, { ...origin, forwardedFor: 'unknown, 203.0.113.7' }).ip).toBe('10.0.0.1');
    expect(consentProofOf({}, { forwardedFor: undefined, userAgent: undefined, remoteAddress: undefined })).toEqual({});
  });

  it('cuts a long User-Agent to 512 characters and drops one with control characters', () => {
    expect(consentProofOf({}, { ...origin, userAgent: 'a'.repeat(2000) }).userAgent).toHaveLength(512);
    expect(consentProofOf({}, { ...origin, userAgent: 'evil\u0000agent' }).userAgent).toBeUndefined();
  });

  it('reads consentProof from the body, and names a bad field', () => {
    const body = { channels: { sms: { consent: { marketing: true } } }, consentProof: { textVersion: 'v1' } };
    expect(profileRequestOf(body)).toEqual({ update: { channels: body.channels }, proof: { textVersion: 'v1' } });
    expect(validationPathsOf(() => profileRequestOf({ consentProof: { ip: '300.1.1.1' } }))).toEqual(['consentProof.ip']);
    expect(validationPathsOf(() => profileRequestOf({ consentProof: { userAgent: 'x'.repeat(513) } }))).toEqual(['consentProof.userAgent']);
    expect(validationPathsOf(() => profileRequestOf({ consentProof: { referrer: 'x' } }))).toEqual(['consentProof.referrer']);
  });
});

describe('consent history query', () => {
  it('defaults to 100 newest changes and takes a cursor', () => {
    expect(consentHistoryQueryOf({})).toEqual({ limit: 100 });
    expect(consentHistoryQueryOf({ limit: '5', cursor: '42' })).toEqual({ limit: 5, cursor: '42' });
  });

  it.each([
    ['a limit of 0', { limit: '0' }, 'query.limit'],
    ['a limit over 500', { limit: '501' }, 'query.limit'],
    ['a cursor that is not one', { cursor: '1 OR 1=1' }, 'query.cursor'],
    ['a cursor beyond any id', { cursor: '9'.repeat(19) }, 'query.cursor'],
    ['an unknown parameter', { order: 'asc' }, 'query.order'],
  ])('refuses %s', (_case, query, path) => {
    expect(validationPathsOf(() => consentHistoryQueryOf(query))).toEqual([path]);
  });
});
