import type { CompiledCampaign } from '@nudge/campaigns';
import type { Channel, Profile } from '@nudge/contracts';
import { isMeasured, type SendVerdict } from '@nudge/decisions';
import { effects, type Effects } from './effects';
import { sendRequestFor, waitingFallbackOf } from './send-request';
import type { PendingSend } from './vocabulary';

/**
 * What one send-time verdict causes — the one place this is written, for due sends, broadcast
 * pages, fallback steps and (through `effectsOfSent`) journey steps:
 * - always a decision-log line;
 * - deferred: the send pending again at the verdict's time;
 * - held out: the re-eligibility touch, and the control group's attribution if measured;
 * - sent: the treated attribution if measured, the cap ledger row, the touch, the send request,
 *   and the waiting fallback step of a chain.
 * A send whose campaign is gone (`campaign` undefined) is decided `campaign_inactive`.
 */
export function effectsOfSendVerdict(
  send: PendingSend,
  campaign: CompiledCampaign | undefined,
  profile: Profile | null,
  verdict: SendVerdict | undefined,
  now: Date,
): Effects {
  const base = { userId: send.userId, campaignId: send.campaignId, triggerEventId: send.triggerEventId, stepId: send.stepId, at: now };
  if (!campaign || !verdict) {
    const reason = `campaign ${send.campaignId} no longer exists`;
    return effects({
      decisions: [{ ...base, campaignVersion: send.campaignVersion, outcome: 'campaign_inactive', reason, scheduledFor: null }],
    });
  }
  const scheduledFor = verdict.outcome === 'deferred_window' ? verdict.scheduledFor : null;
  const decisions = [{ ...base, campaignVersion: campaign.version, outcome: verdict.outcome, reason: verdict.reason, scheduledFor }];
  if (verdict.outcome === 'deferred_window') return effects({ decisions, schedule: [{ ...send, dueAt: verdict.scheduledFor }] });
  // Sends are kept for attribution only where they are measured: a conversion or a holdout.
  const measured = isMeasured(campaign);
  const attribution = {
    sendId: send.sendId,
    userId: send.userId,
    campaignId: campaign.id,
    at: now,
    triggerProperties: send.triggerEvent.properties,
  };
  const touches = [{ userId: send.userId, campaignId: campaign.id, at: now }];
  if (verdict.outcome === 'held_out') {
    // The control group is touched (re-eligibility) and measured, but never sent to.
    return effects({ decisions, touches, attributions: measured ? [{ ...attribution, group: 'held_out' }] : [] });
  }
  if (verdict.outcome !== 'sent') return effects({ decisions });
  const sent = effectsOfSent(send, campaign, profile, verdict.channel, verdict.to, now);
  const fallback = waitingFallbackOf(send, sent.requests[0] as (typeof sent.requests)[number]);
  return effects({
    decisions,
    attributions: measured ? [{ ...attribution, group: 'treated' }] : [],
    ledger: sent.ledger,
    touches,
    requests: sent.requests,
    schedule: fallback ? [fallback] : [],
  });
}

/** A message that goes: its send request and its cap ledger row. */
export function effectsOfSent(
  send: Pick<PendingSend, 'sendId' | 'userId' | 'triggerEventId' | 'stepId' | 'triggerEvent'>,
  campaign: CompiledCampaign,
  profile: Profile | null,
  channel: Channel,
  to: string,
  now: Date,
): Effects {
  return effects({
    requests: [sendRequestFor(send, campaign, profile, channel, to, now)],
    ledger: [{ campaignId: campaign.id, channel, category: campaign.category, sentAt: now, sendId: send.sendId, userId: send.userId }],
  });
}
