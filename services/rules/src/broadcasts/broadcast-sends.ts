import type { CompiledCampaign } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import { MAIN_STEP, type Profile } from '@nudge/contracts';
import type { AddressSuppressions } from '@nudge/decisions';
import { planBroadcastPage, type Effects, type PendingSend } from '@nudge/engine';
import type { Settings } from '@nudge/settings';
import { broadcastEvent, broadcastSendId, broadcastTriggerEventId } from './broadcast-campaign';

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
 * One batch of a broadcast's audience as due sends of the broadcast (one per member, under its
 * per-user send id), planned by the engine exactly as a campaign's due send is: decisions, send
 * requests, deferrals (outside the allowed hours: fired by the timers at the next allowed time),
 * waiting fallback steps and cap ledger rows.
 */
export function decideBroadcastSends({ campaign, sendAt, audience, ledgers, suppressions, settings, now }: BroadcastBatchInput): Effects {
  const triggerEventId = broadcastTriggerEventId(campaign.id);
  const sends = audience.map((profile): PendingSend => ({
    sendId: broadcastSendId(campaign.id, profile.userId),
    userId: profile.userId,
    campaignId: campaign.id,
    campaignVersion: campaign.version,
    triggerEventId,
    stepId: MAIN_STEP,
    dueAt: now,
    triggerEvent: broadcastEvent(campaign.id, profile.userId, sendAt),
  }));
  const state = {
    campaigns: new Map([[campaign.id, campaign]]),
    profiles: new Map(audience.map((p) => [p.userId, p])),
    ledgers,
    suppressions: suppressions ?? new Map<string, AddressSuppressions>(),
    settings,
  };
  return planBroadcastPage(state, sends, now);
}
