import { Inject, Injectable } from '@nestjs/common';
import type { CompiledCampaign } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import type { Profile, SendRequest } from '@nudge/contracts';
import { decideFallbackSend, decideSend, isMeasured, type AddressSuppressions, type SendInput } from '@nudge/decisions';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { profileAddresses } from '@nudge/channels';
import { loadProfiles, loadUserSuppressions } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { Settings } from '@nudge/settings';
import type { EntityManager } from 'typeorm';
import { BroadcastCampaigns } from '../broadcasts/broadcast-campaigns.service';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { recordAttributions, type AttributionRow } from '../conversions/attributions';
import { DecisionLog, type DecisionRecord } from '../decisions/decision-log';
import { SettingsStore } from '../settings/settings-store.service';
import { waitingFallbackOf } from '../fallbacks/fallback-steps';
import { touchCampaigns, type Touch } from '../triggers/campaign-touches';
import { schedulePendingSends, type PendingSend } from './pending-sends';
import { capLedgers, recordSends, type LedgerRow } from './send-ledger';
import { sendRequestFor } from './send-request';

/** What firing a batch of due sends decided, before it is written. */
interface FiringOutcome {
  attributions: AttributionRow[];
  decisions: DecisionRecord[];
  requests: SendRequest[];
  deferred: PendingSend[];
  sent: LedgerRow[];
  touches: Touch[];
}

/** What a caller that fires sends inside its own transaction can hand over. */
export interface FiringCaller {
  profiles?: Map<string, Profile>;
  touches?: Touch[];
}

/**
 * Sends that are due: each is decided again at send time (campaign, consent, allowed
 * hours, caps), the send requests are published, and the decisions, the cap ledger and
 * the deferrals are written — inside the caller's transaction, with the users locked.
 * Used by the timer poller and, for sends due at once, by trigger evaluation. A fallback
 * step (`send.fallback`) is decided the same way over the rest of its chain; a send that
 * goes with a chain leaves its own fallback step waiting for dispatch's word.
 */
@Injectable()
export class SendFiring {
  constructor(
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly catalog: CampaignCatalog,
    private readonly settings: SettingsStore,
    private readonly decisions: DecisionLog,
    private readonly broadcasts: BroadcastCampaigns,
  ) {}

  /**
   * Fires `due` (their users already locked by the caller); returns the decisions to count after
   * commit. From a caller that has just read the users' profiles under the same locks, `profiles`
   * saves a query; its own re-eligibility `touches` are written with these in one statement.
   */
  async fire(manager: EntityManager, due: PendingSend[], now: Date, caller: FiringCaller = {}): Promise<DecisionRecord[]> {
    if (due.length === 0) {
      await touchCampaigns(manager, caller.touches ?? []);
      return [];
    }
    const userIds = due.map((s) => s.userId);
    const recipients = await this.profilesOf(manager, userIds, caller.profiles);
    const settings = this.settings.current();
    const campaigns = await this.campaignsOf(manager, due);
    const caps = due.flatMap((s) => campaigns.get(s.campaignId)?.document.frequencyCaps ?? []);
    const ledgers = await capLedgers(manager, userIds, caps, recipients, settings, now);
    const optOuts = await loadUserSuppressions(manager, recipients.values(), profileAddresses);
    const outcome: FiringOutcome = {
      attributions: [],
      decisions: [],
      requests: [],
      deferred: [],
      sent: [],
      touches: [...(caller.touches ?? [])],
    };
    for (const send of due) {
      const recipient = { profile: recipients.get(send.userId) ?? null, suppressions: optOuts.get(send.userId) };
      this.decide(send, campaigns.get(send.campaignId), recipient, settings, ledgers, now, outcome);
    }
    // Kafka and Postgres work side by side; the caller commits only when both are done, so a
    // failure of either rolls the batch back (dispatch's unique send id absorbs a re-publish).
    await Promise.all([
      this.producer.publish(
        this.topics.dispatch,
        outcome.requests.map((request) => ({ key: request.userId, value: request })),
      ),
      this.write(manager, outcome),
    ]);
    return outcome.decisions;
  }

  private async write(manager: EntityManager, outcome: FiringOutcome): Promise<void> {
    await schedulePendingSends(manager, outcome.deferred);
    await recordSends(manager, outcome.sent);
    await touchCampaigns(manager, outcome.touches);
    await recordAttributions(manager, outcome.attributions);
    await this.decisions.record(manager, outcome.decisions);
  }

  private decide(
    send: PendingSend,
    campaign: CompiledCampaign | undefined,
    { profile, suppressions }: { profile: Profile | null; suppressions: AddressSuppressions | undefined },
    settings: Settings,
    ledgers: Map<string, LedgerEntry[]>,
    now: Date,
    outcome: FiringOutcome,
  ): void {
    const base = { userId: send.userId, campaignId: send.campaignId, triggerEventId: send.triggerEventId, stepId: send.stepId, at: now };
    if (!campaign) {
      const reason = `campaign ${send.campaignId} no longer exists`;
      outcome.decisions.push({ ...base, campaignVersion: send.campaignVersion, outcome: 'campaign_inactive', reason, scheduledFor: null });
      return;
    }
    const ledger = ledgers.get(send.userId) ?? [];
    const input: SendInput = { campaign, profile, now, settings, ledger, suppressions };
    const verdict = send.fallback ? decideFallbackSend(input, send.fallback) : decideSend(input);
    const scheduledFor = verdict.outcome === 'deferred_window' ? verdict.scheduledFor : null;
    outcome.decisions.push({ ...base, campaignVersion: campaign.version, outcome: verdict.outcome, reason: verdict.reason, scheduledFor });
    if (verdict.outcome === 'deferred_window') {
      outcome.deferred.push({ ...send, dueAt: verdict.scheduledFor });
      return;
    }
    // Sends are kept for attribution only where they are measured: a conversion or a holdout.
    const measured = isMeasured(campaign);
    const attribution = {
      sendId: send.sendId,
      userId: send.userId,
      campaignId: campaign.id,
      at: now,
      triggerProperties: send.triggerEvent.properties,
    };
    if (verdict.outcome === 'held_out') {
      // The control group is touched (re-eligibility) and measured, but never sent to.
      outcome.touches.push({ userId: send.userId, campaignId: campaign.id, at: now });
      if (measured) outcome.attributions.push({ ...attribution, group: 'held_out' });
      return;
    }
    if (verdict.outcome !== 'sent') return;
    if (measured) outcome.attributions.push({ ...attribution, group: 'treated' });
    const entry = { campaignId: campaign.id, channel: verdict.channel, category: campaign.category, sentAt: now, sendId: send.sendId };
    // Later sends in this batch for the same user count this one against their caps.
    ledgers.set(send.userId, [...ledger, entry]);
    outcome.sent.push({ ...entry, userId: send.userId, sendId: send.sendId });
    outcome.touches.push({ userId: send.userId, campaignId: campaign.id, at: now });
    const request = sendRequestFor(send, campaign, profile, verdict.channel, verdict.to, now);
    outcome.requests.push(request);
    const fallback = waitingFallbackOf(send, request);
    if (fallback) outcome.deferred.push(fallback);
  }

  /** The users' profiles: those the caller read under the same locks, the others loaded. */
  private async profilesOf(
    manager: EntityManager,
    userIds: string[],
    known: Map<string, Profile> = new Map(),
  ): Promise<Map<string, Profile>> {
    const missing = userIds.filter((id) => !known.has(id));
    if (missing.length === 0) return known;
    return new Map([...known, ...(await loadProfiles(manager, missing))]);
  }

  /**
   * The campaigns of the batch's sends: the catalog's, then broadcasts (their deferred sends
   * come back through the timers), those in one query for the whole batch.
   */
  private async campaignsOf(manager: EntityManager, due: PendingSend[]): Promise<Map<string, CompiledCampaign>> {
    const campaigns = new Map<string, CompiledCampaign>();
    for (const id of new Set(due.map((s) => s.campaignId))) {
      const campaign = this.catalog.get(id);
      if (campaign) campaigns.set(id, campaign);
    }
    const others = due.map((s) => s.campaignId).filter((id) => !campaigns.has(id));
    for (const [id, broadcast] of await this.broadcasts.resolve(manager, others)) campaigns.set(id, broadcast);
    return campaigns;
  }
}
