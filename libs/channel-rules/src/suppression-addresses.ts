import { CHANNELS, type Channel, type ChannelAddress, type Profile } from '@nudge/contracts';
import { isPhoneChannel, senderAddress, toE164 } from './phone-numbers';

/**
 * An address as suppressions are keyed (the same for a STOP's sender and a profile's channel
 * address): phone numbers in E.164 — a profile's number without a country code read in the
 * profile's `country` — and e-mail addresses lower-cased; any other id as given, trimmed.
 */
export function suppressionAddress(channel: Channel, address: string, country?: string): string {
  if (channel === 'email') return address.trim().toLowerCase();
  if (!isPhoneChannel(channel) || country === undefined) return senderAddress(channel, address);
  const verdict = toE164(address.trim(), country);
  return verdict.ok ? verdict.e164 : senderAddress(channel, address);
}

/** A profile's channel addresses as suppressions key them (its country reads national numbers). */
export function profileAddresses(profile: Profile): ChannelAddress[] {
  return CHANNELS.flatMap((channel) => {
    const address = profile.channels[channel]?.address;
    return address ? [{ channel, address: suppressionAddress(channel, address, profile.country) }] : [];
  });
}
