import { Inject, Injectable } from '@nestjs/common';
import type { CompiledCampaign } from '@nudge/campaigns';
import { deriveSendId, MAIN_STEP, type EventEnvelope, type Profile } from '@nudge/contracts';
import { decideTrigger, findCancellation, isOptInRequest, type ExceptionEvent } from '@nudge/decisions';
import { ErasureSalt, erasuresOf, eventsAfterErasure, inTransaction, loadProfiles, lockUsers } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource, EntityManager } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { CLOCK } from '../clock';
import { DecisionLog, type DecisionRecord } from '../decisions/decision-log';
import { OptInConfirmations } from '../double-opt-in/opt-in-confirmations';
import { FallbackSteps } from '../fallbacks/fallback-steps.service';
import { cancelPendingSends, pendingSendsOf, schedulePendingSends, type PendingSend } from '../timers/pending-sends';
import { ConversionTracking } from '../conversions/conversion-tracking';
import { JourneyProgress, type JourneyStart } from '../journeys/journey-progress.service';
import { SendFiring } from '../timers/send-firing.service';
import { lastTouches, touchKey, type Touch } from './campaign-touches';
import { exceptionEventsSince, storeExceptionEvents } from './exception-events';

/** What one batch decided, before it is written. */
interface BatchOutcome {
  decisions: DecisionRecord[];
  sends: PendingSend[];
  /** Journeys whose trigger decision says go: a run may start. */
  journeyStarts: JourneyStart[];
  cancelledSendIds: string[];
  touches: Touch[];
  /** The triggering users' profiles, read under the batch's locks: sends due now are decided on them. */
  profiles: Map<string, Profile>;
}

/**
 * Turns a batch of events into decisions. An event may cancel pending sends (it is one
 * of their campaigns' exceptions) and may trigger campaigns; eligible sends become
 * durable timers. One transaction per batch, with the batch's users locked, so an event
 * is evaluated once even when Kafka redelivers it.
 */
@Injectable()
export class TriggerEvaluation {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalog: CampaignCatalog,
    private readonly decisions: DecisionLog,
    private readonly firing: SendFiring,
    private readonly conversions: ConversionTracking,
    private readonly journeys: JourneyProgress,
    private readonly erasureSalt: ErasureSalt,
    private readonly optIns: OptInConfirmations,
    private readonly fallbacks: FallbackSteps,
  ) {}

  async evaluate(events: EventEnvelope[]): Promise<void> {
    const index = this.catalog.index;
    const relevant = uniqueById(events.filter((e) => index.isRelevantEvent(e) || isOptInRequest(e)));
    if (relevant.length === 0) return;
    const salt = await this.erasureSalt.get();
    const { decisions } = await inTransaction(this.dataSource, async (manager) => {
      // The users' locks before any row (the lock order of `lockUsers`): the timer poller and
      // journey poller take the same locks before they claim these users' timers.
      await lockUsers(
        manager,
        relevant.map((e) => e.userId),
      );
      const processed = await markProcessed(manager, relevant);
      // Events in flight when their user was erased leave no trail: nothing is decided on them.
      const fresh = eventsAfterErasure(
        processed,
        await erasuresOf(
          manager,
          salt,
          processed.map((e) => e.userId),
        ),
      );
      const now = this.clock.now();
      const outcome: BatchOutcome = { decisions: [], sends: [], journeyStarts: [], cancelledSendIds: [], touches: [], profiles: new Map() };
      await this.conversions.record(manager, fresh);
      await this.applyExceptions(manager, fresh, now, outcome);
      await this.applyTriggers(manager, fresh, now, outcome);
      await cancelPendingSends(manager, outcome.cancelledSendIds);
      // Fallback chains: dispatch's word wakes a fallback step (fired below, like any due
      // send); a message seen cancels its fallback.
      const fallbacks = await this.fallbacks.onEvents(manager, fresh, now);
      outcome.decisions.push(...fallbacks.decisions);
      // A send already due is fired in this transaction, under the same locks: no timer
      // row, no second transaction, no wait for the poller.
      const dueNow = [...outcome.sends.filter((s) => s.dueAt <= now), ...fallbacks.due];
      await schedulePendingSends(
        manager,
        outcome.sends.filter((s) => s.dueAt > now),
      );
      // Journeys: runs remember their messages' statuses, end on exceptions, move on awaited
      // events; new runs start and take their first steps now.
      const decided = [
        ...outcome.decisions,
        ...(await this.journeys.onEvents(manager, fresh, outcome.journeyStarts, now)),
        // Double opt-in: a marketing consent set to "pending" gets its confirmation message.
        ...(await this.optIns.decide(manager, fresh.filter(isOptInRequest), now)),
      ];
      await this.decisions.record(manager, decided);
      // The batch's touches go with the firing's: one write per (user, campaign).
      const fired = await this.firing.fire(manager, dueNow, now, { profiles: outcome.profiles, touches: outcome.touches });
      return { decisions: [...decided, ...fired] };
    });
    this.decisions.count(decisions);
  }

  /** Exception events cancel the matching pending sends, and are kept for late triggers. */
  private async applyExceptions(manager: EntityManager, events: EventEnvelope[], now: Date, outcome: BatchOutcome): Promise<void> {
    const exceptions = events.filter((e) => this.catalog.index.forException(e.name).length > 0);
    if (exceptions.length === 0) return;
    await storeExceptionEvents(manager, exceptions);
    const campaignIds = exceptions.flatMap((e) => this.catalog.index.forException(e.name).map((c) => c.id));
    const pending = await pendingSendsOf(
      manager,
      exceptions.map((e) => e.userId),
      campaignIds,
    );
    for (const send of pending) {
      const campaign = this.catalog.get(send.campaignId);
      const candidates = exceptions.filter((e) => e.userId === send.userId);
      const sendAt = new Date(Math.max(send.dueAt.getTime(), now.getTime()));
      const cancellation = campaign ? findCancellation(campaign, send.triggerEvent, candidates, sendAt) : null;
      if (!campaign || !cancellation) continue;
      outcome.cancelledSendIds.push(send.sendId);
      outcome.decisions.push({
        userId: send.userId,
        campaignId: send.campaignId,
        campaignVersion: campaign.version,
        triggerEventId: send.triggerEventId,
        stepId: send.stepId,
        outcome: 'cancelled_exception',
        reason: cancellation.reason,
        at: now,
        scheduledFor: null,
      });
    }
  }

  private async applyTriggers(manager: EntityManager, events: EventEnvelope[], now: Date, outcome: BatchOutcome): Promise<void> {
    const triggering = events.filter((e) => this.catalog.index.forTrigger(e.name).length > 0);
    if (triggering.length === 0) return;
    const userIds = triggering.map((e) => e.userId);
    const profiles = await loadProfiles(manager, userIds);
    outcome.profiles = profiles;
    const touches = await lastTouches(manager, userIds);
    const exceptions = await this.knownExceptions(manager, triggering);
    for (const event of triggering) {
      for (const campaign of this.catalog.index.forTrigger(event.name)) {
        const verdict = await this.verdict(event, campaign, profiles, touches, exceptions, now);
        this.decideOne(event, campaign, verdict, now, outcome);
        // A second trigger in the same batch must see this one's touch.
        if (verdict.outcome === 'scheduled') touches.set(touchKey(event.userId, campaign.id), now);
      }
    }
  }

  private verdict(
    event: EventEnvelope,
    campaign: CompiledCampaign,
    profiles: Map<string, Profile>,
    touches: Map<string, Date>,
    exceptions: Map<string, ExceptionEvent[]>,
    now: Date,
  ) {
    return decideTrigger({
      event,
      campaign,
      now,
      profile: profiles.get(event.userId) ?? null,
      lastTouchedAt: touches.get(touchKey(event.userId, campaign.id)) ?? null,
      knownExceptions: exceptions.get(event.userId) ?? [],
    });
  }

  private decideOne(
    event: EventEnvelope,
    campaign: CompiledCampaign,
    verdict: Awaited<ReturnType<typeof decideTrigger>>,
    now: Date,
    outcome: BatchOutcome,
  ): void {
    const base = {
      userId: event.userId,
      campaignId: campaign.id,
      campaignVersion: campaign.version,
      triggerEventId: event.eventId,
      stepId: MAIN_STEP,
      at: now,
    };
    if (verdict.outcome !== 'scheduled') {
      outcome.decisions.push({ ...base, outcome: verdict.outcome, reason: verdict.reason, scheduledFor: null });
      return;
    }
    if (campaign.journey) {
      // A run's steps record their own decisions, each with its step id.
      outcome.journeyStarts.push({ event, campaign });
      return;
    }
    outcome.sends.push({
      sendId: deriveSendId({ campaignId: campaign.id, triggerEventId: event.eventId, stepId: MAIN_STEP }),
      userId: event.userId,
      campaignId: campaign.id,
      campaignVersion: campaign.version,
      triggerEventId: event.eventId,
      stepId: MAIN_STEP,
      dueAt: verdict.dueAt,
      triggerEvent: event,
    });
    outcome.touches.push({ userId: event.userId, campaignId: campaign.id, at: now });
    // A send due right away is decided when it fires; only a real wait is worth a line.
    if (verdict.dueAt > now) outcome.decisions.push({ ...base, outcome: 'scheduled', reason: verdict.reason, scheduledFor: verdict.dueAt });
  }

  /** Exceptions already seen for these triggers' users (only if a campaign involved has any). */
  private async knownExceptions(manager: EntityManager, triggering: EventEnvelope[]): Promise<Map<string, ExceptionEvent[]>> {
    const withExceptions = triggering.filter((e) =>
      this.catalog.index.forTrigger(e.name).some((c) => (c.document.exceptions ?? []).length > 0),
    );
    if (withExceptions.length === 0) return new Map();
    const earliest = Math.min(...withExceptions.map((e) => Date.parse(e.timestamp)));
    return exceptionEventsSince(
      manager,
      withExceptions.map((e) => e.userId),
      new Date(earliest),
    );
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
