import { suppressionAddress } from '@nudge/channel-rules';
import { PENDING_CONSENT, type Channel, type Profile } from '@nudge/contracts';

/**
 * Whether the profile's marketing consent on the channel waits for a double opt-in confirmation
 * — read under the user's lock just before confirming it: a consent refused, withdrawn or given
 * meanwhile is not overwritten by a late YES or an old link. With `address` (a reply's sender,
 * keyed as suppressions are), the profile must still hold that address on the channel: a YES
 * from a number the user has since left confirms nothing for the new one.
 */
export function isPendingOn(profile: Profile | null, channel: Channel, address?: string): boolean {
  const entry = profile?.channels[channel];
  if (entry?.consent.marketing !== PENDING_CONSENT) return false;
  if (address === undefined) return true;
  return entry.address !== undefined && suppressionAddress(channel, entry.address, profile?.country) === address;
}

/** The proof of a confirmation by reply: which provider brought it, its message id, who sent what. */
export function replyEvidence(reply: {
  provider: string;
  channel: Channel;
  from: string;
  text: string;
  providerMessageId?: string;
}): string {
  const id = reply.providerMessageId === undefined ? '' : `, message ${reply.providerMessageId}`;
  return `${reply.channel} reply "${reply.text.trim().slice(0, 40)}" from ${reply.from} (inbound:${reply.provider}${id})`;
}

/** The proof of a confirmation by link: the message that carried it. */
export function linkEvidence(messageId: string | undefined): string {
  return messageId === undefined ? 'confirmation link' : `confirmation link of message ${messageId}`;
}
