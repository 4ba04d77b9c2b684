import { resolveZone } from './recipient-zone';

describe('the zone a recipient is reached in', () => {
  it.each([
    ["the profile's zone for a recipient window", 'America/New_York', 'recipient', 'Europe/Madrid', 'America/New_York'],
    ["the profile's zone when the window names no zone", 'America/New_York', undefined, 'Europe/Madrid', 'America/New_York'],
    ["the window's own zone over the profile's", 'America/New_York', 'Asia/Tokyo', 'Europe/Madrid', 'Asia/Tokyo'],
    ["the window's own zone when the profile has none", undefined, 'Asia/Tokyo', 'Europe/Madrid', 'Asia/Tokyo'],
    ['the default when the profile has no zone', undefined, 'recipient', 'Europe/Madrid', 'Europe/Madrid'],
    ["the default when the profile's zone is not a real zone", 'Mars/Olympus_Mons', 'recipient', 'Europe/Madrid', 'Europe/Madrid'],
    ["the default when the profile's zone is empty", '', undefined, 'UTC', 'UTC'],
  ])('is %s', (_behaviour, profileZone, windowZone, defaultZone, expected) => {
    expect(resolveZone(profileZone, windowZone, defaultZone)).toBe(expected);
  });

  it.each([
    ['a window zone that is neither recipient nor IANA', 'Europe/Madrid', 'Moon/Base', 'UTC', 'time window zone "Moon/Base"'],
    ['a default zone that is not IANA, when it is needed', undefined, 'recipient', 'Nowhere', 'default time zone "Nowhere"'],
  ])('refuses %s', (_behaviour, profileZone, windowZone, defaultZone, message) => {
    expect(() => resolveZone(profileZone, windowZone, defaultZone)).toThrow(message);
  });
});
