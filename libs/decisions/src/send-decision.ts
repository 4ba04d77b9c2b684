import type { CompiledCampaign } from '@nudge/campaigns';
import type { Category, Channel, Profile } from '@nudge/contracts';

/** What happens when a pending send falls due. */
export type SendVerdict =
  | { outcome: 'sent'; reason: string; channel: Channel; to: string }
  | { outcome: 'campaign_inactive' | 'no_consent' | 'no_address'; reason: string };

export interface SendInput {
  campaign: CompiledCampaign;
  profile: Profile | null;
  now: Date;
}

/**
 * Decides, at the moment a send is due, whether it may go and on which channel: the
 * campaign must still be active, and the first channel of the campaign's list on which
 * the recipient has an address and consent for the campaign's category is used.
 * Consent is read now, so a withdrawal after scheduling still stops the send.
 */
export function decideSend({ campaign, profile, now }: SendInput): SendVerdict {
  const activity = campaign.isActiveAt(now);
  if (!activity.active) return { outcome: 'campaign_inactive', reason: activity.reason };
  const topic = campaign.document.topic;
  if (topic && profile?.preferences.topics[topic] === false) {
    return { outcome: 'no_consent', reason: `the user switched off the topic "${topic}"` };
  }
  return chooseChannel(campaign.channels, campaign.category, profile);
}

/** The first channel the user can receive this category of message on, or why there is none. */
export function chooseChannel(channels: readonly Channel[], category: Category, profile: Profile | null): SendVerdict {
  const withoutConsent: Channel[] = [];
  for (const channel of channels) {
    const entry = profile?.channels[channel];
    if (!entry?.address) continue;
    if (entry.consent[category] !== true) {
      withoutConsent.push(channel);
      continue;
    }
    return { outcome: 'sent', channel, to: entry.address, reason: `sent on ${channel}` };
  }
  if (withoutConsent.length > 0) {
    return { outcome: 'no_consent', reason: `no ${category} consent on ${withoutConsent.join(', ')}` };
  }
  return { outcome: 'no_address', reason: `no address on ${channels.join(', ')}` };
}
