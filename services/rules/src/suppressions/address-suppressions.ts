import { suppressionAddress } from '@nudge/channels';
import { CHANNELS, type Channel, type ChannelAddress, type Profile, type Suppression } from '@nudge/contracts';
import type { AddressSuppressions } from '@nudge/decisions';
import { loadSuppressions, suppressionKey } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';

/**
 * The opt-outs of a batch's users, by user then channel, in one query: each profile's channel
 * addresses keyed as dispatch keys a STOP's sender (`suppressionAddress`: E.164 read in the
 * profile's country, e-mail lower-cased), so a STOP from a number stops every profile that
 * holds it, including profiles created after it. Users with no opt-out are absent.
 */
export async function addressSuppressions(manager: EntityManager, profiles: Iterable<Profile>): Promise<Map<string, AddressSuppressions>> {
  const addresses = [...profiles].flatMap((profile) =>
    profileAddresses(profile).map((address) => ({ userId: profile.userId, ...address })),
  );
  const stored = await loadSuppressions(manager, addresses);
  const byUser = new Map<string, Map<Channel, Suppression>>();
  for (const { userId, ...address } of addresses) {
    const suppression = stored.get(suppressionKey(address));
    if (!suppression) continue;
    const channels = byUser.get(userId) ?? new Map<Channel, Suppression>();
    channels.set(address.channel, suppression);
    byUser.set(userId, channels);
  }
  return byUser;
}

/** A profile's channel addresses as suppressions key them. */
export function profileAddresses(profile: Profile): ChannelAddress[] {
  return CHANNELS.flatMap((channel) => {
    const address = profile.channels[channel]?.address;
    return address ? [{ channel, address: suppressionAddress(channel, address, profile.country) }] : [];
  });
}
