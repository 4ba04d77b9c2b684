import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { CompiledCampaign } from '@nudge/campaigns';
import type { Profile, SendRequest } from '@nudge/contracts';
import { decideSend } from '@nudge/decisions';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { inTransaction, loadProfiles, lockUsers } from '@nudge/persistence';
import { DATA_SOURCE, PRODUCER, ServiceMetrics, TOPICS } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { Histogram } from 'prom-client';
import { Histogram as PromHistogram } from 'prom-client';
import type { DataSource } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { CLOCK } from '../clock';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { DecisionLog, type DecisionRecord } from '../decisions/decision-log';
import { claimDueSends, type PendingSend } from './pending-sends';

/**
 * Fires durable timers: claims due sends in batches, decides each one again at send
 * time (campaign still active, address, consent), publishes the send requests and
 * records the decisions, all before the claiming transaction commits. A crash before
 * the commit leaves the sends pending; dispatch's unique send id absorbs a re-publish.
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
    private readonly decisions: DecisionLog,
    metrics: ServiceMetrics,
  ) {
    this.lateness = new PromHistogram({
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
    const committed = await inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const due = await claimDueSends(manager, now, this.config.TIMER_BATCH_SIZE);
      if (due.length === 0) return [];
      await lockUsers(
        manager,
        due.map((s) => s.userId),
      );
      const profiles = await loadProfiles(
        manager,
        due.map((s) => s.userId),
      );
      const outcomes = due.map((send) => this.decide(send, profiles.get(send.userId) ?? null, now));
      await this.producer.publish(
        this.topics.dispatch,
        outcomes.flatMap((o) => (o.request ? [{ key: o.request.userId, value: o.request }] : [])),
      );
      const records = outcomes.map((o) => o.decision);
      await this.decisions.record(manager, records);
      for (const send of due) this.lateness.observe(Math.max(0, now.getTime() - send.dueAt.getTime()) / 1000);
      return records;
    });
    this.decisions.count(committed);
    return committed.length;
  }

  private decide(send: PendingSend, profile: Profile | null, now: Date): { decision: DecisionRecord; request?: SendRequest } {
    const campaign = this.catalog.get(send.campaignId);
    const base = {
      userId: send.userId,
      campaignId: send.campaignId,
      triggerEventId: send.triggerEventId,
      stepId: send.stepId,
      at: now,
      scheduledFor: null,
    };
    if (!campaign) {
      return {
        decision: {
          ...base,
          campaignVersion: send.campaignVersion,
          outcome: 'campaign_inactive',
          reason: `campaign ${send.campaignId} no longer exists`,
        },
      };
    }
    const verdict = decideSend({ campaign, profile, now });
    const decision: DecisionRecord = { ...base, campaignVersion: campaign.version, outcome: verdict.outcome, reason: verdict.reason };
    if (verdict.outcome !== 'sent') return { decision };
    return { decision, request: sendRequestFor(send, campaign, profile, verdict.channel, verdict.to, now) };
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
