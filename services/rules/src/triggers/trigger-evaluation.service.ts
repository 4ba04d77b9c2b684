import { Inject, Injectable } from '@nestjs/common';
import { deriveSendId, MAIN_STEP, type EventEnvelope, type Profile } from '@nudge/contracts';
import { decideTrigger } from '@nudge/decisions';
import { inTransaction, loadProfiles, lockUsers } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource, EntityManager } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { CLOCK } from '../clock';
import { DecisionLog, type DecisionRecord } from '../decisions/decision-log';
import { schedulePendingSends, type PendingSend } from '../timers/pending-sends';
import { TimerPoller } from '../timers/timer-poller.service';

/**
 * Turns a batch of events into decisions: for each event, every campaign it triggers is
 * evaluated; eligible sends become durable timers. One transaction per batch, with the
 * batch's users locked, so an event is evaluated once even when Kafka redelivers it.
 */
@Injectable()
export class TriggerEvaluation {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalog: CampaignCatalog,
    private readonly decisions: DecisionLog,
    private readonly timers: TimerPoller,
  ) {}

  async evaluate(events: EventEnvelope[]): Promise<void> {
    const triggering = uniqueById(events.filter((e) => this.catalog.index.forTrigger(e.name).length > 0));
    if (triggering.length === 0) return;
    const { decisions, sendsDueNow } = await inTransaction(this.dataSource, async (manager) => {
      const fresh = await markProcessed(manager, triggering);
      await lockUsers(
        manager,
        fresh.map((e) => e.userId),
      );
      const profiles = await loadProfiles(
        manager,
        fresh.map((e) => e.userId),
      );
      const now = this.clock.now();
      const decisions: DecisionRecord[] = [];
      const sends: PendingSend[] = [];
      for (const event of fresh) {
        const outcome = await this.decideFor(event, profiles.get(event.userId) ?? null, now);
        decisions.push(...outcome.decisions);
        sends.push(...outcome.sends);
      }
      await schedulePendingSends(manager, sends);
      await this.decisions.record(manager, decisions);
      return { decisions, sendsDueNow: sends.some((s) => s.dueAt <= now) };
    });
    this.decisions.count(decisions);
    if (sendsDueNow) this.timers.wake();
  }

  private async decideFor(event: EventEnvelope, profile: Profile | null, now: Date) {
    const decisions: DecisionRecord[] = [];
    const sends: PendingSend[] = [];
    for (const campaign of this.catalog.index.forTrigger(event.name)) {
      const verdict = await decideTrigger({ event, profile, campaign, now });
      const base = {
        userId: event.userId,
        campaignId: campaign.id,
        campaignVersion: campaign.version,
        triggerEventId: event.eventId,
        stepId: MAIN_STEP,
        at: now,
      };
      if (verdict.outcome !== 'scheduled') {
        decisions.push({ ...base, outcome: verdict.outcome, reason: verdict.reason, scheduledFor: null });
        continue;
      }
      sends.push({
        sendId: deriveSendId({ campaignId: campaign.id, triggerEventId: event.eventId, stepId: MAIN_STEP }),
        userId: event.userId,
        campaignId: campaign.id,
        campaignVersion: campaign.version,
        triggerEventId: event.eventId,
        stepId: MAIN_STEP,
        dueAt: verdict.dueAt,
        triggerEvent: event,
      });
      // A send due right away is decided when it fires; only a real wait is worth a line.
      if (verdict.dueAt > now) decisions.push({ ...base, outcome: 'scheduled', reason: verdict.reason, scheduledFor: verdict.dueAt });
    }
    return { decisions, sends };
  }
}

/** Records the events as processed; returns those not processed before (Kafka redelivers). */
async function markProcessed(manager: EntityManager, events: EventEnvelope[]): Promise<EventEnvelope[]> {
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO processed_events (event_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [events.map((e) => e.eventId)],
  );
  const fresh = new Set(rows.map((r) => r.event_id));
  return events.filter((e) => fresh.has(e.eventId));
}

function uniqueById(events: EventEnvelope[]): EventEnvelope[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
}
