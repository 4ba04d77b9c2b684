import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { CompiledCampaign } from '@nudge/campaigns';
import { longestCapWindow, type LedgerEntry } from '@nudge/capping';
import type { Profile, SendRequest } from '@nudge/contracts';
import { decideSend } from '@nudge/decisions';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { inTransaction, loadProfiles, lockUsers } from '@nudge/persistence';
import { DATA_SOURCE, PRODUCER, ServiceMetrics, TOPICS } from '@nudge/service-runtime';
import type { Settings } from '@nudge/settings';
import type { Clock } from '@nudge/timing';
import { Histogram } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { CLOCK } from '../clock';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { DecisionLog, type DecisionRecord } from '../decisions/decision-log';
import { SettingsStore } from '../settings/settings-store.service';
import { touchCampaigns, type Touch } from '../triggers/campaign-touches';
import { claimDueSends, schedulePendingSends, type PendingSend } from './pending-sends';
import { ledgerSince, recordSends, type LedgerRow } from './send-ledger';

/** What firing one batch of timers decided, before it is written. */
interface FiringOutcome {
  decisions: DecisionRecord[];
  requests: SendRequest[];
  deferred: PendingSend[];
  sent: LedgerRow[];
  touches: Touch[];
}

/**
 * Fires durable timers: claims due sends in batches, decides each one again at send
 * time (campaign, consent, allowed hours, caps), publishes the send requests and records
 * decisions, cap ledger and deferrals, all before the claiming transaction commits. A
 * crash before the commit leaves the sends pending; dispatch's unique send id absorbs a
 * re-publish.
 */
@Injectable()
export class TimerPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('timers');
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly lateness: Histogram;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
    private readonly catalog: CampaignCatalog,
    private readonly settings: SettingsStore,
    private readonly decisions: DecisionLog,
    metrics: ServiceMetrics,
  ) {
    this.lateness = new Histogram({
      name: 'nudge_timer_lateness_seconds',
      help: 'How long after its due time a timer fired',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30],
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the in-flight batch finish; unclaimed timers stay in Postgres for the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** Something became due now: look without waiting for the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let fired = 0;
      try {
        fired = await this.fireDue();
      } catch (error) {
        this.logger.error(`firing timers failed, retrying: ${(error as Error).message}`);
        await this.idle(1_000);
        continue;
      }
      if (fired < this.config.TIMER_BATCH_SIZE) await this.idle(this.config.TIMER_POLL_MS);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Fires one batch of due timers; returns how many it claimed. */
  async fireDue(): Promise<number> {
    const decisions = await inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const due = await claimDueSends(manager, now, this.config.TIMER_BATCH_SIZE);
      if (due.length === 0) return [];
      const userIds = due.map((s) => s.userId);
      await lockUsers(manager, userIds);
      const profiles = await loadProfiles(manager, userIds);
      const settings = this.settings.current();
      const ledgers = await this.loadLedgers(manager, due, profiles, settings, now);
      const outcome: FiringOutcome = { decisions: [], requests: [], deferred: [], sent: [], touches: [] };
      for (const send of due) this.decide(send, profiles.get(send.userId) ?? null, settings, ledgers, now, outcome);
      await this.producer.publish(
        this.topics.dispatch,
        outcome.requests.map((request) => ({ key: request.userId, value: request })),
      );
      await schedulePendingSends(manager, outcome.deferred);
      await recordSends(manager, outcome.sent);
      await touchCampaigns(manager, outcome.touches);
      await this.decisions.record(manager, outcome.decisions);
      for (const send of due) this.lateness.observe(Math.max(0, now.getTime() - send.dueAt.getTime()) / 1000);
      return outcome.decisions;
    });
    this.decisions.count(decisions);
    return decisions.length;
  }

  private decide(
    send: PendingSend,
    profile: Profile | null,
    settings: Settings,
    ledgers: Map<string, LedgerEntry[]>,
    now: Date,
    outcome: FiringOutcome,
  ): void {
    const campaign = this.catalog.get(send.campaignId);
    const base = { userId: send.userId, campaignId: send.campaignId, triggerEventId: send.triggerEventId, stepId: send.stepId, at: now };
    if (!campaign) {
      const reason = `campaign ${send.campaignId} no longer exists`;
      outcome.decisions.push({ ...base, campaignVersion: send.campaignVersion, outcome: 'campaign_inactive', reason, scheduledFor: null });
      return;
    }
    const ledger = ledgers.get(send.userId) ?? [];
    const verdict = decideSend({ campaign, profile, now, settings, ledger });
    const scheduledFor = verdict.outcome === 'deferred_window' ? verdict.scheduledFor : null;
    outcome.decisions.push({ ...base, campaignVersion: campaign.version, outcome: verdict.outcome, reason: verdict.reason, scheduledFor });
    if (verdict.outcome === 'deferred_window') {
      outcome.deferred.push({ ...send, dueAt: verdict.scheduledFor });
      return;
    }
    if (verdict.outcome !== 'sent') return;
    const entry = { campaignId: campaign.id, channel: verdict.channel, category: campaign.category, sentAt: now };
    // Later sends in this batch for the same user count this one against their caps.
    ledgers.set(send.userId, [...ledger, entry]);
    outcome.sent.push({ ...entry, userId: send.userId, sendId: send.sendId });
    outcome.touches.push({ userId: send.userId, campaignId: campaign.id, at: now });
    outcome.requests.push(sendRequestFor(send, campaign, profile, verdict.channel, verdict.to, now));
  }

  /** Recent sends of the batch's users, as far back as the longest cap that applies. */
  private async loadLedgers(
    manager: EntityManager,
    due: PendingSend[],
    profiles: Map<string, Profile>,
    settings: Settings,
    now: Date,
  ): Promise<Map<string, LedgerEntry[]>> {
    const campaignCaps = due.flatMap((s) => this.catalog.get(s.campaignId)?.document.frequencyCaps ?? []);
    const anyWeeklyLimit = [...profiles.values()].some((p) => p.preferences.maxPerWeek !== undefined);
    const window = longestCapWindow({
      campaign: campaignCaps,
      global: settings.frequencyCaps,
      userMaxPerWeek: anyWeeklyLimit ? 1 : undefined,
    });
    if (window === 0) return new Map();
    return ledgerSince(
      manager,
      due.map((s) => s.userId),
      new Date(now.getTime() - window),
    );
  }
}

function sendRequestFor(
  send: PendingSend,
  campaign: CompiledCampaign,
  profile: Profile | null,
  channel: SendRequest['channel'],
  to: string,
  now: Date,
): SendRequest {
  const message = campaign.document.message;
  return {
    sendId: send.sendId,
    campaignId: campaign.id,
    campaignVersion: campaign.version,
    category: campaign.category,
    stepId: send.stepId,
    userId: send.userId,
    triggerEventId: send.triggerEventId,
    decidedAt: now.toISOString(),
    channel,
    to,
    message: { sender: message?.sender, subject: message?.subject, body: message?.body ?? '' },
    scope: {
      event: send.triggerEvent,
      profile: (profile ?? { userId: send.userId }) as unknown as Record<string, unknown>,
      campaign: { id: campaign.id, name: campaign.document.name, version: campaign.version },
    },
  };
}
