import { validationPathsOf } from '@nudge/testing';
import type { SegmentGroup, SegmentIdentify } from './segment-messages';
import { groupAttributesOf, profileUpdateOfIdentify } from './segment-profiles';

const identify = (over: Partial<SegmentIdentify> = {}): SegmentIdentify => ({
  kind: 'identify',
  userId: 'u1',
  update: {},
  proof: {},
  path: ['batch', 2],
  ...over,
});
const categories = {
  Advertising: { channels: ['sms' as const, 'email' as const], topics: ['promotions'] },
  Newsletter: { channels: ['email' as const], topics: ['news'] },
};

describe('profileUpdateOfIdentify', () => {
  it("reads a national phone in the identify's country, the SMS address with transactional consent only", () => {
    expect(profileUpdateOfIdentify(identify({ phone: '600 000 001', update: { country: 'ES' } }), { consentCategories: {} })).toEqual({
      country: 'ES',
      channels: { sms: { address: '+34600000001', consent: { transactional: true } } },
    });
  });

  it("reads it in the stored profile's country when the identify names none; an international number needs none", () => {
    const finish = { consentCategories: {}, storedCountry: 'FR' };
    expect(profileUpdateOfIdentify(identify({ phone: '06 12 34 56 78' }), finish).channels?.sms?.address).toBe('+33612345678');
    expect(profileUpdateOfIdentify(identify({ phone: '+34 600 000 001' }), { consentCategories: {} }).channels?.sms?.address).toBe(
      '+34600000001',
    );
  });

  it('gives transactional consent to an address it learns, and leaves it as stored on an address the profile already holds', () => {
    const learning = identify({
      phone: '+34 600 000 001',
      update: { channels: { email: { address: 'ana@example.com', consent: { transactional: true } } } },
    });
    const refusedAtBoth = {
      sms: { address: '+34600000001', consent: { transactional: false } },
      email: { address: 'ana@example.com', consent: { transactional: false } },
    };
    expect(profileUpdateOfIdentify(learning, { consentCategories: {}, storedChannels: refusedAtBoth }).channels).toEqual({
      sms: { address: '+34600000001', consent: {} },
      email: { address: 'ana@example.com', consent: {} },
    });
    const elsewhere = {
      sms: { address: '+34600000999', consent: { transactional: false } },
      email: { address: 'ana@example.com', consent: {} },
    };
    expect(profileUpdateOfIdentify(learning, { consentCategories: {}, storedChannels: elsewhere }).channels).toEqual({
      sms: { address: '+34600000001', consent: { transactional: true } },
      email: { address: 'ana@example.com', consent: { transactional: true } },
    });
  });

  it('refuses a number it cannot read, naming traits.phone under the message', () => {
    expect(validationPathsOf(() => profileUpdateOfIdentify(identify({ phone: '600 000 001' }), { consentCategories: {} }))).toEqual([
      'batch[2].traits.phone',
    ]);
  });

  it('gives marketing consent and topics by the mapped categories; a refused category wins; unmapped ones change nothing', () => {
    const update = profileUpdateOfIdentify(
      identify({
        update: { channels: { email: { address: 'ana@example.com', consent: { transactional: true } } } },
        consentPreferences: { Advertising: true, Newsletter: false, Analytics: true },
      }),
      { consentCategories: categories },
    );
    expect(update).toEqual({
      channels: {
        email: { address: 'ana@example.com', consent: { transactional: true, marketing: false } },
        sms: { consent: { marketing: true } },
      },
      preferences: { topics: { promotions: true, news: false } },
    });
  });

  it('leaves the update as it is without a phone or categories', () => {
    expect(profileUpdateOfIdentify(identify({ update: { attributes: { plan: 'pro' } } }), { consentCategories: categories })).toEqual({
      attributes: { plan: 'pro' },
    });
  });
});

describe('groupAttributesOf', () => {
  const group = (groupId: string, traits: Record<string, unknown> = {}): SegmentGroup => ({
    kind: 'group',
    userId: 'u1',
    groupId,
    traits,
    proof: {},
    path: [],
  });

  it('adds the group to the list once, and keeps its traits by id', () => {
    expect(groupAttributesOf(group('acme', { plan: 'pro' }), {})).toEqual({ groups: ['acme'], groupTraits: { acme: { plan: 'pro' } } });
    const stored = { groups: ['acme'], groupTraits: { acme: { plan: 'free' } } };
    expect(groupAttributesOf(group('acme'), stored)).toEqual({ groups: ['acme'] });
    expect(groupAttributesOf(group('globex', { size: 3 }), stored)).toEqual({
      groups: ['acme', 'globex'],
      groupTraits: { acme: { plan: 'free' }, globex: { size: 3 } },
    });
  });
});
