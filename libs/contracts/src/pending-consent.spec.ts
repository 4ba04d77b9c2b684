import { consentChangesBetween, consentEventName, consentEventOf } from './consent';
import { emptyProfile, mergeProfile, profileUpdateSchema, type Profile, type ProfileUpdate } from './profile';

const at = '2026-12-03T14:00:00.000Z';
const api = { at, source: 'api' };

function merged(...updates: ProfileUpdate[]): Profile {
  return updates.reduce<Profile>((profile, update) => mergeProfile(profile, update, api), emptyProfile('ana', at));
}

const pendingSms: ProfileUpdate = { channels: { sms: { address: '+34600000001', consent: { marketing: 'pending' } } } };

describe('a marketing consent of "pending" (double opt-in)', () => {
  it('is accepted for marketing only; a bad value names the field', () => {
    expect(profileUpdateSchema.safeParse(pendingSms).success).toBe(true);
    const transactional = profileUpdateSchema.safeParse({ channels: { sms: { consent: { transactional: 'pending' } } } });
    expect(transactional.success).toBe(false);
    const wrong = profileUpdateSchema.safeParse({ channels: { sms: { consent: { marketing: 'maybe' } } } });
    expect(wrong.error?.issues).toEqual([
      expect.objectContaining({
        path: ['channels', 'sms', 'consent', 'marketing'],
        message: 'must be true, false or "pending" (double opt-in)',
      }),
    ]);
  });

  it('is stored as pending, logged like any consent value', () => {
    const profile = merged(pendingSms);
    expect(profile.channels.sms?.consent.marketing).toBe('pending');
    expect(profile.channels.sms?.consentLog?.marketing).toEqual({ value: 'pending', at, source: 'api' });
  });

  it.each<[string, ProfileUpdate[], ProfileUpdate, boolean | 'pending']>([
    ['a new address', [], pendingSms, 'pending'],
    ['a refused consent', [{ channels: { sms: { address: '+34600000001', consent: { marketing: false } } } }], pendingSms, 'pending'],
    [
      'a confirmed consent, same address (a sign-up form sent again)',
      [{ channels: { sms: { address: '+34600000001', consent: { marketing: true } } } }],
      pendingSms,
      true,
    ],
    [
      'a confirmed consent, new address',
      [{ channels: { sms: { address: '+34600000009', consent: { marketing: true } } } }],
      pendingSms,
      'pending',
    ],
    ['a pending consent, confirmed', [pendingSms], { channels: { sms: { consent: { marketing: true } } } }, true],
  ])('over %s → %s', (_label, before, update, expected) => {
    expect(merged(...before, update).channels.sms?.consent.marketing).toBe(expected);
  });

  it('is a consent change whose event is consent_requested, and its confirmation consent_confirmed', () => {
    const before = merged();
    const after = merged(pendingSms);
    const [change] = consentChangesBetween(before, after, api);
    expect(change).toMatchObject({ channel: 'sms', category: 'marketing', value: 'pending' });
    expect(change && consentEventName(change)).toBe('consent_requested');
    expect(change && consentEventOf({ userId: 'ana', incarnation: 'never', version: 1 }, change).properties).toEqual({
      channel: 'sms',
      category: 'marketing',
      value: 'pending',
      source: 'api',
    });
    expect(consentEventName({ value: true, source: 'double_opt_in' })).toBe('consent_confirmed');
  });

  it('moved to another address is requested again there (a new consent_requested), and only marketing is', () => {
    const before = merged({ channels: { sms: { address: '+34600000001', consent: { marketing: 'pending', transactional: true } } } });
    const later = '2026-12-04T09:00:00.000Z';
    const after = mergeProfile(before, { channels: { sms: { address: '+34600000002' } } }, { at: later, source: 'signup-form' });
    expect(after.channels.sms?.consent).toEqual({ marketing: 'pending', transactional: true });
    expect(after.channels.sms?.consentLog?.marketing).toEqual({ value: 'pending', at: later, source: 'signup-form' });
    const changes = consentChangesBetween(before, after, { at: later, source: 'signup-form' });
    expect(changes).toEqual([expect.objectContaining({ channel: 'sms', category: 'marketing', value: 'pending', at: later })]);
    const sameAddress = mergeProfile(after, { channels: { sms: { address: '+34600000002', consent: { marketing: 'pending' } } } }, api);
    expect(consentChangesBetween(after, sameAddress, api)).toEqual([]);
  });

  it('carries the evidence of a confirmation when there is one', () => {
    const before = merged(pendingSms);
    const after = mergeProfile(before, { channels: { sms: { consent: { marketing: true } } } }, { at, source: 'double_opt_in' });
    const evidence = 'sms reply "YES" from +34600000001 (inbound:sandbox, message m-1)';
    expect(consentChangesBetween(before, after, { at, source: 'double_opt_in', evidence })).toEqual([
      expect.objectContaining({ value: true, source: 'double_opt_in', evidence }),
    ]);
  });
});
