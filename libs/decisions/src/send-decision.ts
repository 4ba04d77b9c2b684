import type { CompiledCampaign } from '@nudge/campaigns';
import { capVerdict, type LedgerEntry } from '@nudge/capping';
import { PENDING_CONSENT, type Category, type Channel, type ChannelProfile, type Profile, type Suppression } from '@nudge/contracts';
import type { Settings } from '@nudge/settings';
import { isHeldOut } from './holdout';
import { sendTimeVerdict } from './send-time';

/** What happens when a pending send falls due. */
export type SendVerdict =
  | { outcome: 'sent'; reason: string; channel: Channel; to: string }
  | { outcome: 'deferred_window'; reason: string; scheduledFor: Date }
  | { outcome: 'held_out'; reason: string; channel: Channel }
  | { outcome: 'campaign_inactive' | 'no_consent' | 'no_address' | 'dropped_window' | 'capped'; reason: string };

/** The channel a send goes out on, or why it cannot go out on any. */
export type ChannelChoice =
  { outcome: 'sent'; reason: string; channel: Channel; to: string } | { outcome: 'no_consent' | 'no_address'; reason: string };

export interface SendInput {
  campaign: CompiledCampaign;
  profile: Profile | null;
  now: Date;
  settings: Settings;
  /** This user's recent sends, for frequency caps. */
  ledger: readonly LedgerEntry[];
  /**
   * The opt-outs in force for this user's addresses, by channel (an address's STOP, whoever
   * holds it). Absent: none. Only `suppressed` entries stop anything.
   */
  suppressions?: AddressSuppressions;
  /** The channels to choose from, in order. Absent: the campaign's. A fallback passes the rest of its chain. */
  channels?: readonly Channel[];
}

/** The suppressions of one user's channel addresses, by channel. */
export type AddressSuppressions = ReadonlyMap<Channel, Suppression>;

/**
 * Decides, at the moment a send is due, whether it may go and on which channel. In
 * order: the campaign is still active; the user has not switched the topic off; a
 * channel of the campaign's list has an address and consent for the category (read
 * now, so a withdrawal after scheduling still stops the send) and, for marketing, the address
 * has not opted out on that channel (a STOP from it, whoever holds it); it is an allowed time in
 * the recipient's zone (window, country rules) — else deferred or dropped; no frequency
 * cap is exceeded; and the user is not in the campaign's control group (`holdout`).
 */
export function decideSend({ campaign, profile, now, settings, ledger, suppressions, channels }: SendInput): SendVerdict {
  const activity = campaign.isActiveAt(now);
  if (!activity.active) return { outcome: 'campaign_inactive', reason: activity.reason };
  const topic = campaign.document.topic;
  if (topic && profile?.preferences.topics[topic] === false) {
    return { outcome: 'no_consent', reason: `the user switched off the topic "${topic}"` };
  }
  const channel = chooseChannel(channels ?? campaign.channels, campaign.category, profile, suppressions);
  if (channel.outcome !== 'sent') return channel;
  const timing = sendTimeVerdict({ campaign, profile, now, settings });
  if (timing) return timing;
  const cap = capVerdict({ campaignId: campaign.id, channel: channel.channel, category: campaign.category, at: now }, ledger, {
    campaign: campaign.document.frequencyCaps ?? [],
    global: settings.frequencyCaps,
    userMaxPerWeek: profile?.preferences.maxPerWeek,
  });
  if (!cap.allowed) return { outcome: 'capped', reason: cap.reason };
  // Last: the control group is made of users who would have been sent the message.
  if (isHeldOut(profile?.userId ?? '', campaign.id, campaign.document.holdout)) {
    return {
      outcome: 'held_out',
      channel: channel.channel,
      reason: `in the ${campaign.document.holdout}% control group of ${campaign.id}: not sent, counted for uplift`,
    };
  }
  return channel;
}

/**
 * The first channel the user can receive this category of message on, or why there is none.
 * A marketing message skips a channel whose address opted out (`suppressions`) as it skips
 * one without consent, and one whose consent is pending double opt-in (never consent); the
 * reason names the opt-out or the pending request and its date.
 */
export function chooseChannel(
  channels: readonly Channel[],
  category: Category,
  profile: Profile | null,
  suppressions: AddressSuppressions = new Map(),
): ChannelChoice {
  const withoutConsent: Channel[] = [];
  const pending: string[] = [];
  const optedOut: string[] = [];
  for (const channel of channels) {
    const entry = profile?.channels[channel];
    if (!entry?.address) continue;
    if (entry.consent[category] === PENDING_CONSENT) {
      pending.push(describePending(channel, category, entry));
      continue;
    }
    if (entry.consent[category] !== true) {
      withoutConsent.push(channel);
      continue;
    }
    const optOut = suppressions.get(channel);
    if (category === 'marketing' && optOut?.suppressed) {
      optedOut.push(describeOptOut(optOut));
      continue;
    }
    return { outcome: 'sent', channel, to: entry.address, reason: `sent on ${channel}` };
  }
  if (withoutConsent.length > 0 || pending.length > 0 || optedOut.length > 0) {
    const noConsent = withoutConsent.length > 0 ? [`no ${category} consent on ${withoutConsent.join(', ')}`] : [];
    return { outcome: 'no_consent', reason: [...noConsent, ...pending, ...optedOut].join('; ') };
  }
  return { outcome: 'no_address', reason: `no address on ${channels.join(', ')}` };
}

/** "marketing consent on sms is pending double opt-in confirmation (since 2026-12-03T14:00:00.000Z)": pending is never consent. */
function describePending(channel: Channel, category: Category, entry: ChannelProfile): string {
  const since = entry.consentLog?.[category]?.at;
  return `${category} consent on ${channel} is pending double opt-in confirmation${since === undefined ? '' : ` (since ${since})`}`;
}

/** "sms address +34600000301 opted out of marketing by STOP on 2026-12-03T14:00:00.000Z (inbound:sandbox)". */
function describeOptOut(optOut: Suppression): string {
  return `${optOut.channel} address ${optOut.address} opted out of marketing by ${optOut.keyword} on ${optOut.changedAt} (${optOut.source})`;
}
