import type { CompiledCampaign } from '@nudge/campaigns';
import { emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';
import { addIsoDuration } from '@nudge/timing';

/** What happens when a campaign's trigger event arrives for a user. */
export type TriggerVerdict =
  | { outcome: 'campaign_inactive'; reason: string }
  | { outcome: 'conditions_not_met'; reason: string }
  | { outcome: 'scheduled'; reason: string; dueAt: Date };

export interface TriggerInput {
  event: EventEnvelope;
  profile: Profile | null;
  campaign: CompiledCampaign;
  now: Date;
}

/**
 * Decides whether a trigger event starts a send: the campaign must be active at the
 * event's time and its conditions true; the send is then due `delay` after the event's
 * own timestamp (not its arrival), which may already be past.
 */
export async function decideTrigger({ event, profile, campaign, now }: TriggerInput): Promise<TriggerVerdict> {
  const activity = campaign.isActiveAt(now);
  if (!activity.active) return { outcome: 'campaign_inactive', reason: activity.reason };
  const matched = await campaign.matches({ event, profile: profile ?? emptyProfile(event.userId, event.timestamp) });
  if (!matched) {
    return {
      outcome: 'conditions_not_met',
      reason: `${event.name} ${event.eventId} did not meet the conditions of ${campaign.id} v${campaign.version}`,
    };
  }
  const dueAt = addIsoDuration(new Date(event.timestamp), campaign.delay);
  return {
    outcome: 'scheduled',
    dueAt,
    reason: `${event.name} matched ${campaign.id} v${campaign.version}; send due ${campaign.delay} after the event, at ${dueAt.toISOString()}`,
  };
}
