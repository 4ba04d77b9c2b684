import type { CompiledCampaign } from '@nudge/campaigns';
import { reEligibilityVerdict } from '@nudge/capping';
import { emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';
import { addIsoDuration } from '@nudge/timing';
import { findCancellation, type ExceptionEvent } from './exception-decision';

/** What happens when a campaign's trigger event arrives for a user. */
export type TriggerVerdict =
  | { outcome: 'campaign_inactive' | 'conditions_not_met' | 'not_eligible' | 'cancelled_exception'; reason: string }
  | { outcome: 'scheduled'; reason: string; dueAt: Date };

export interface TriggerInput {
  event: EventEnvelope;
  profile: Profile | null;
  campaign: CompiledCampaign;
  now: Date;
  /** When this user was last scheduled for or sent this campaign (re-eligibility). */
  lastTouchedAt?: Date | null;
  /** Exception events of this user already seen (they may have arrived before the trigger). */
  knownExceptions?: readonly ExceptionEvent[];
}

/**
 * Decides whether a trigger event starts a send: the campaign must be active, its
 * conditions true, the user eligible again, and no exception already seen may cancel it.
 * The send is due `delay` after the event's own timestamp (not its arrival).
 */
export async function decideTrigger(input: TriggerInput): Promise<TriggerVerdict> {
  const { event, profile, campaign, now } = input;
  const activity = campaign.isActiveAt(now);
  if (!activity.active) return { outcome: 'campaign_inactive', reason: activity.reason };
  const matched = await campaign.matches({ event, profile: profile ?? emptyProfile(event.userId, event.timestamp) });
  if (!matched) {
    return {
      outcome: 'conditions_not_met',
      reason: `${event.name} ${event.eventId} did not meet the conditions of ${campaign.id} v${campaign.version}`,
    };
  }
  const eligibility = reEligibilityVerdict({
    period: campaign.document.reEligibility,
    lastTouchedAt: input.lastTouchedAt ?? null,
    at: now,
  });
  if (!eligibility.eligible) return { outcome: 'not_eligible', reason: eligibility.reason };
  const dueAt = addIsoDuration(new Date(event.timestamp), campaign.delay);
  const sendAt = new Date(Math.max(dueAt.getTime(), now.getTime()));
  const cancellation = findCancellation(campaign, event, input.knownExceptions ?? [], sendAt);
  if (cancellation) return { outcome: 'cancelled_exception', reason: cancellation.reason };
  return {
    outcome: 'scheduled',
    dueAt,
    reason: `${event.name} matched ${campaign.id} v${campaign.version}; send due ${campaign.delay} after the event, at ${dueAt.toISOString()}`,
  };
}
