import { emptyProfile } from '@nudge/contracts';
import { profileAddresses, suppressionAddress } from './suppression-addresses';

describe('suppressionAddress', () => {
  it.each([
    ['sms', '+34 600 000 301', undefined, '+34600000301'],
    ['sms', '600000301', 'ES', '+34600000301'],
    ['sms', '34600000301', undefined, '+34600000301'],
    ['whatsapp', 'whatsapp:+34600000301', undefined, '+34600000301'],
    ['email', ' Ana@Example.COM ', undefined, 'ana@example.com'],
    ['telegram', ' 12345 ', 'ES', '12345'],
  ] as const)('%s %j (country %s) is keyed %j', (channel, address, country, key) => {
    expect(suppressionAddress(channel, address, country)).toBe(key);
  });
});

describe('profileAddresses', () => {
  it("keys each channel address of a profile, national numbers read in the profile's country", () => {
    const profile = {
      ...emptyProfile('u1', '2026-12-03T00:00:00.000Z'),
      country: 'ES',
      channels: {
        sms: { address: '600 000 301', consent: {} },
        email: { address: 'Ana@Example.com', consent: {} },
        push: { consent: {} },
      },
    };
    expect(profileAddresses(profile)).toEqual([
      { channel: 'sms', address: '+34600000301' },
      { channel: 'email', address: 'ana@example.com' },
    ]);
  });
});
