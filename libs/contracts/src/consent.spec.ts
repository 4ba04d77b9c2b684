import { consentChangesBetween, consentEventName, consentEventOf, consentProofSchema, isConsentEventName } from './consent';
import { emptyProfile, mergeProfile, type Profile } from './profile';

const at = '2026-11-24T10:00:00.000Z';
const context = { at, source: 'api', proof: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0', textVersion: 'terms-2026-11' } };

function withSmsConsent(marketing: boolean): Profile {
  return mergeProfile(emptyProfile('ana', at), { channels: { sms: { consent: { marketing } } } }, context);
}

describe('consent changes', () => {
  it('are the consent values a merge set or changed, each with the time, source and proof', () => {
    const before = withSmsConsent(true);
    const after = mergeProfile(
      before,
      { attributes: { tier: 'gold' }, channels: { sms: { consent: { marketing: false } }, email: { consent: { marketing: true } } } },
      context,
    );
    expect(consentChangesBetween(before, after, context)).toEqual([
      {
        channel: 'sms',
        category: 'marketing',
        value: false,
        at,
        source: 'api',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        textVersion: 'terms-2026-11',
      },
      {
        channel: 'email',
        category: 'marketing',
        value: true,
        at,
        source: 'api',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        textVersion: 'terms-2026-11',
      },
    ]);
  });

  it('are none when a merge sets consent to what it already was', () => {
    const before = withSmsConsent(true);
    const after = mergeProfile(before, { channels: { sms: { consent: { marketing: true } } } }, context);
    expect(consentChangesBetween(before, after, context)).toEqual([]);
  });

  it('leave proof the request did not have as null', () => {
    const [change] = consentChangesBetween(emptyProfile('ana', at), withSmsConsent(false), { at, source: 'inbound:twilio' });
    expect(change).toMatchObject({ value: false, source: 'inbound:twilio', ip: null, userAgent: null, textVersion: null });
  });
});

describe('consent events', () => {
  const change = consentChangesBetween(emptyProfile('ana', at), withSmsConsent(true), context)[0]!;
  const identity = { userId: 'ana', incarnation: 'never', version: 1 };

  it.each([
    [true, 'api', 'consent_granted'],
    [true, 'double_opt_in', 'consent_confirmed'],
    [false, 'api', 'consent_withdrawn'],
    [false, 'double_opt_in', 'consent_withdrawn'],
  ])('a change to %s from %s is %s', (value, source, name) => {
    expect(consentEventName({ value, source })).toBe(name);
    expect(isConsentEventName(name)).toBe(true);
  });

  it('is an envelope keyed by the user, without the IP or user agent', () => {
    const event = consentEventOf(identity, change);
    expect(event).toEqual({
      eventId: expect.stringMatching(/^consent-[0-9a-f]{40}$/),
      userId: 'ana',
      name: 'consent_granted',
      timestamp: at,
      receivedAt: at,
      properties: { channel: 'sms', category: 'marketing', value: true, source: 'api', textVersion: 'terms-2026-11' },
      context: { source: 'consent' },
    });
  });

  it('has the same id for the same change of the same version (a retried request), another for any other', () => {
    const id = consentEventOf(identity, change).eventId;
    expect(consentEventOf(identity, { ...change, at: '2026-11-24T10:00:05.000Z' }).eventId).toBe(id);
    expect(consentEventOf({ ...identity, version: 2 }, change).eventId).not.toBe(id);
    expect(consentEventOf({ ...identity, incarnation: '2026-11-20T00:00:00.000Z' }, change).eventId).not.toBe(id);
    expect(consentEventOf({ ...identity, userId: 'bea' }, change).eventId).not.toBe(id);
    expect(consentEventOf(identity, { ...change, category: 'transactional' }).eventId).not.toBe(id);
  });
});

describe('consent proof', () => {
  it('accepts an IPv4 or IPv6 address, a user agent and a text version', () => {
    const proof = { ip: '2001:db8::1', userAgent: 'Mozilla/5.0 (X11)', textVersion: 'v3' };
    expect(consentProofSchema.parse(proof)).toEqual(proof);
  });

  it.each([
    ['an IP that is not one', { ip: 'localhost' }],
    ['a user agent over 512 characters', { userAgent: 'a'.repeat(513) }],
    ['a text version with a control character', { textVersion: 'v\u0007' }],
    ['an unknown field', { country: 'ES' }],
  ])('refuses %s', (_case, proof) => {
    expect(consentProofSchema.safeParse(proof).success).toBe(false);
  });
});
