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
  ])('an update with %s is rejected, naming %s', (_case, path, body) => {
    expect(pathsOf(() => profileUpdateOf(body))).toContain(path);
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
  ])('a userId that is %s is rejected, naming userId', (_case, userId) => {
    expect(pathsOf(() => userIdOf(userId))).toEqual(['userId']);
  });

  it('takes the consent source from X-Nudge-Source, else api', () => {
    expect(consentSourceOf('signup-form')).toBe('signup-form');
    expect(consentSourceOf(undefined)).toBe('api');
    expect(consentSourceOf('  ')).toBe('api');
    expect(pathsOf(() => consentSourceOf('x'.repeat(129)))).toEqual(['X-Nudge-Source']);
  });
});
