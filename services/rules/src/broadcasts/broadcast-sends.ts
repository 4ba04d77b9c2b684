import type { CompiledCampaign } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import { MAIN_STEP, type Channel, type Profile, type SendRequest } from '@nudge/contracts';
import { decideSend, type AddressSuppressions } from '@nudge/decisions';
import type { Settings } from '@nudge/settings';
import type { DecisionRecord } from '../decisions/decision-log';
import { waitingFallbackOf } from '../fallbacks/fallback-steps';
import type { PendingSend } from '../timers/pending-sends';
import type { LedgerRow } from '../timers/send-ledger';
import { sendRequestFor } from '../timers/send-request';
import { broadcastEvent, broadcastSendId, broadcastTriggerEventId } from './broadcast-campaign';

/** What one batch of a broadcast decided, before it is written and published. */
export interface BroadcastSends {
  decisions: DecisionRecord[];
  requests: SendRequest[];
  /**
   * Outside the allowed hours: durable pending sends, fired by the timers at the next allowed
   * time; and the fallback steps of sends that went with a chain, waiting for dispatch's word.
   */
  deferred: PendingSend[];
  /** Cap ledger rows of the sends handed to dispatch. */
  sent: LedgerRow[];
  sentByChannel: Map<Channel, number>;
}

export interface BroadcastBatchInput {
  campaign: CompiledCampaign;
  /** When the broadcast was due: the `timestamp` of its trigger event. */
  sendAt: Date;
  audience: readonly Profile[];
  /** Each user's recent sends, for frequency caps. */
  ledgers: ReadonlyMap<string, readonly LedgerEntry[]>;
  /** The opt-outs of the members' addresses, by user (absent: none). */
  suppressions?: ReadonlyMap<string, AddressSuppressions>;
  settings: Settings;
  now: Date;
}

/**
 * Decides the send of a broadcast to each member of a batch of its audience exactly as a
 * campaign's due send is decided (decideSend), and builds what is to be written: decisions,
 * send requests, deferrals and cap ledger rows. Each user is in one batch only, so no
 * ledger needs updating between two decisions here.
 */
export function decideBroadcastSends({
  campaign,
  sendAt,
  audience,
  ledgers,
  suppressions,
  settings,
  now,
}: BroadcastBatchInput): BroadcastSends {
  const out: BroadcastSends = { decisions: [], requests: [], deferred: [], sent: [], sentByChannel: new Map() };
  const triggerEventId = broadcastTriggerEventId(campaign.id);
  for (const profile of audience) {
    const userId = profile.userId;
    const send: PendingSend = {
      sendId: broadcastSendId(campaign.id, userId),
      userId,
      campaignId: campaign.id,
      campaignVersion: campaign.version,
      triggerEventId,
      stepId: MAIN_STEP,
      dueAt: now,
      triggerEvent: broadcastEvent(campaign.id, userId, sendAt),
    };
    const verdict = decideSend({
      campaign,
      profile,
      now,
      settings,
      ledger: ledgers.get(userId) ?? [],
      suppressions: suppressions?.get(userId),
    });
    const scheduledFor = verdict.outcome === 'deferred_window' ? verdict.scheduledFor : null;
    out.decisions.push({
      userId,
      campaignId: campaign.id,
      campaignVersion: campaign.version,
      triggerEventId,
      stepId: MAIN_STEP,
      outcome: verdict.outcome,
      reason: verdict.reason,
      at: now,
      scheduledFor,
    });
    if (verdict.outcome === 'deferred_window') out.deferred.push({ ...send, dueAt: verdict.scheduledFor });
    if (verdict.outcome !== 'sent') continue;
    const request = sendRequestFor(send, campaign, profile, verdict.channel, verdict.to, now);
    out.requests.push(request);
    const fallback = waitingFallbackOf(send, request);
    if (fallback) out.deferred.push(fallback);
    out.sent.push({
      sendId: send.sendId,
      userId,
      campaignId: campaign.id,
      channel: verdict.channel,
      category: campaign.category,
      sentAt: now,
    });
    out.sentByChannel.set(verdict.channel, (out.sentByChannel.get(verdict.channel) ?? 0) + 1);
  }
  return out;
}
