import { emptyProfile, mergeProfile, type Profile } from './profile';
import { profileMergePlan, userMergedEvent, userMergeOf, USER_MERGED_EVENT } from './user-merge';

const at = '2026-03-01T10:00:00.000Z';

function profile(userId: string, fields: Partial<Profile>): Profile {
  return { ...emptyProfile(userId, at), ...fields };
}

describe('profileMergePlan', () => {
  it('takes what the known profile lacks, and keeps the known values on conflict', () => {
    const previous = profile('anon-1', {
      attributes: { firstName: 'Ana', plan: 'trial' },
      timezone: 'Europe/Madrid',
      country: 'ES',
      preferences: { topics: { promotions: true, news: false }, maxPerWeek: 5 },
    });
    const known = profile('u1', { attributes: { plan: 'gold' }, country: 'FR', preferences: { topics: { news: true } } });
    const plan = profileMergePlan(previous, known);
    expect(plan.update).toEqual({
      attributes: { firstName: 'Ana' },
      timezone: 'Europe/Madrid',
      preferences: { topics: { promotions: true }, maxPerWeek: 5 },
    });
    expect(plan.carriedTopics).toEqual(['promotions']);
    expect(plan.carriedMaxPerWeek).toBe(true);
    const merged = mergeProfile(known, plan.update, { at, source: 'alias' });
    expect(merged).toMatchObject({ attributes: { plan: 'gold', firstName: 'Ana' }, country: 'FR', timezone: 'Europe/Madrid' });
  });

  it('carries a channel the known user lacks with its address and consent', () => {
    const previous = profile('anon-1', {
      channels: { sms: { address: '+34600000001', consent: { marketing: true, transactional: true } } },
    });
    const plan = profileMergePlan(previous, profile('u1', {}));
    expect(plan.update.channels).toEqual({ sms: { address: '+34600000001', consent: { marketing: true, transactional: true } } });
    expect(plan.carriedChannels).toEqual(['sms']);
    expect(plan.carriedConsent).toEqual([
      { channel: 'sms', category: 'marketing' },
      { channel: 'sms', category: 'transactional' },
    ]);
  });

  it("keeps the known user's address and consent on a channel both hold, taking only a category the known one lacks", () => {
    const previous = profile('anon-1', {
      channels: { sms: { address: '+34600000001', consent: { marketing: true, transactional: true } } },
    });
    const known = profile('u1', { channels: { sms: { address: '+34600000009', consent: { marketing: false } } } });
    const plan = profileMergePlan(previous, known);
    expect(plan.update.channels).toEqual({ sms: { consent: { transactional: true } } });
    expect(plan.carriedChannels).toEqual([]);
    expect(plan.carriedConsent).toEqual([{ channel: 'sms', category: 'transactional' }]);
  });

  it('carries a marketing refusal at the address the merged profile keeps, over the known consent', () => {
    const previous = profile('anon-1', { channels: { sms: { address: '+34600000001', consent: { marketing: false } } } });
    const known = profile('u1', { channels: { sms: { address: '+34600000001', consent: { marketing: true } } } });
    const plan = profileMergePlan(previous, known);
    expect(plan.update.channels).toEqual({ sms: { consent: { marketing: false } } });
    expect(mergeProfile(known, plan.update, { at, source: 'alias' }).channels.sms?.consent.marketing).toBe(false);
  });

  it('does not carry a refusal given at another address than the one kept', () => {
    const previous = profile('anon-1', { channels: { sms: { address: '+34600000001', consent: { marketing: false } } } });
    const known = profile('u1', { channels: { sms: { address: '+34600000002', consent: { marketing: true } } } });
    expect(profileMergePlan(previous, known).update).toEqual({});
  });

  it('takes nothing from an empty previous profile', () => {
    expect(profileMergePlan(profile('anon-1', {}), profile('u1', { attributes: { a: 1 } }))).toEqual({
      update: {},
      carriedConsent: [],
      carriedChannels: [],
      carriedTopics: [],
      carriedMaxPerWeek: false,
    });
  });
});

describe('the user_merged event', () => {
  it('is keyed by the known user, names the previous id, and has an id of the previous id alone', () => {
    const event = userMergedEvent({ previousId: 'anon-1', userId: 'u1' }, at);
    expect(event).toMatchObject({ eventId: 'merge:anon-1', userId: 'u1', name: USER_MERGED_EVENT, properties: { previousId: 'anon-1' } });
    expect(userMergeOf(event)).toEqual({ previousId: 'anon-1', userId: 'u1' });
  });

  it.each([
    ['another name', { name: 'signed_up', userId: 'u1', properties: { previousId: 'anon-1' } }],
    ['no previous id', { name: USER_MERGED_EVENT, userId: 'u1', properties: {} }],
    ['a previous id that is not text', { name: USER_MERGED_EVENT, userId: 'u1', properties: { previousId: 7 } }],
    ['the user itself', { name: USER_MERGED_EVENT, userId: 'u1', properties: { previousId: 'u1' } }],
  ])('reads no merge from %s', (_, event) => {
    expect(userMergeOf(event)).toBeNull();
  });
});
