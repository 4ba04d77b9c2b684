import { ValidationError } from '@nudge/contracts';
import { consentSourceOf, profileUpdateOf, userIdOf } from './profile-requests';

function pathsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details.map((d) => d.path);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

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
    expect(pathsOf(() => profileUpdateOf(body))).toContain(path);
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
    expect(pathsOf(() => userIdOf(userId))).toEqual(['userId']);
  });

  it('takes the consent source from X-Nudge-Source, else api', () => {
    expect(consentSourceOf('signup-form')).toBe('signup-form');
    expect(consentSourceOf(undefined)).toBe('api');
    expect(consentSourceOf('  ')).toBe('api');
    expect(pathsOf(() => consentSourceOf('x'.repeat(129)))).toEqual(['X-Nudge-Source']);
    expect(pathsOf(() => consentSourceOf('form\u0085'))).toEqual(['X-Nudge-Source']);
  });
});
