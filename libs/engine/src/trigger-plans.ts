import type { CompiledCampaign } from '@nudge/campaigns';
import { deriveSendId, MAIN_STEP, type EventEnvelope, type Profile } from '@nudge/contracts';
import { decideTrigger, findCancellation, type ExceptionEvent } from '@nudge/decisions';
import { effects, mergeEffects, type Effects } from './effects';
import { touchKey, type DecisionRecord, type PendingSend } from './vocabulary';

/** The campaigns by the events they listen to (rules' catalog index, simulate's own). */
export interface CampaignLookup {
  get(id: string): CompiledCampaign | undefined;
  forTrigger(eventName: string): readonly CompiledCampaign[];
  forException(eventName: string): readonly CompiledCampaign[];
}

/** What deciding a batch's exceptions reads: the pending sends of its users for the campaigns those events end. */
export interface ExceptionState {
  campaigns: CampaignLookup;
  pending: readonly PendingSend[];
}

/** Exception events cancel the matching pending sends, each with a `cancelled_exception` decision. */
export function planExceptions(state: ExceptionState, events: readonly EventEnvelope[], now: Date): Effects {
  const exceptions = events.filter((e) => state.campaigns.forException(e.name).length > 0);
  if (exceptions.length === 0) return effects({});
  const parts = state.pending.map((send) => {
    const campaign = state.campaigns.get(send.campaignId);
    const candidates = exceptions.filter((e) => e.userId === send.userId);
    const sendAt = new Date(Math.max(send.dueAt.getTime(), now.getTime()));
    const cancellation = campaign ? findCancellation(campaign, send.triggerEvent, candidates, sendAt) : null;
    if (!campaign || !cancellation) return effects({});
    return effects({
      cancel: [send.sendId],
      decisions: [
        {
          userId: send.userId,
          campaignId: send.campaignId,
          campaignVersion: campaign.version,
          triggerEventId: send.triggerEventId,
          stepId: send.stepId,
          outcome: 'cancelled_exception',
          reason: cancellation.reason,
          at: now,
          scheduledFor: null,
        },
      ],
    });
  });
  return mergeEffects(...parts);
}

/** What deciding triggers reads, for the triggering users. */
export interface TriggerState {
  campaigns: CampaignLookup;
  profiles: ReadonlyMap<string, Profile>;
  /** When each user last touched each campaign, keyed by `touchKey`. */
  touches: ReadonlyMap<string, Date>;
  /** Exceptions already seen, by user. */
  knownExceptions: ReadonlyMap<string, readonly ExceptionEvent[]>;
}

/** A trigger that may start a journey run: the campaign's trigger decision said `scheduled`. */
export interface JourneyStart {
  event: EventEnvelope;
  campaign: CompiledCampaign;
}

/** What triggers decided: effects, and the work that follows from them in the same batch. */
export interface TriggerPlan {
  /** Decisions, touches and the sends due later (pending). */
  effects: Effects;
  /** Sends due already: decided at once with `planDue`, no timer row. */
  dueNow: PendingSend[];
  /** Journeys whose trigger said go: a run may start (`planJourneyEvents`). */
  starts: JourneyStart[];
}

/**
 * Each event against each campaign it triggers: eligible sends become pending sends (due now
 * or later) with a re-eligibility touch, a journey may start a run, the rest is a decision that
 * says why not. A second trigger in the same batch sees the first one's touch.
 */
export async function planTriggers(state: TriggerState, events: readonly EventEnvelope[], now: Date): Promise<TriggerPlan> {
  // The touches this batch makes, over the state's (not a copy of all of them: simulate's state holds every user's).
  const touchedNow = new Map<string, Date>();
  const decisions: DecisionRecord[] = [];
  const sends: PendingSend[] = [];
  const starts: JourneyStart[] = [];
  const touched: { userId: string; campaignId: string; at: Date }[] = [];
  for (const event of events) {
    for (const campaign of state.campaigns.forTrigger(event.name)) {
      const verdict = await decideTrigger({
        event,
        campaign,
        now,
        profile: state.profiles.get(event.userId) ?? null,
        lastTouchedAt:
          touchedNow.get(touchKey(event.userId, campaign.id)) ?? state.touches.get(touchKey(event.userId, campaign.id)) ?? null,
        knownExceptions: state.knownExceptions.get(event.userId) ?? [],
      });
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
      touchedNow.set(touchKey(event.userId, campaign.id), now);
      // A run's steps record their own decisions, each with its step id.
      if (campaign.journey) {
        starts.push({ event, campaign });
        continue;
      }
      const sendId = deriveSendId({ campaignId: campaign.id, triggerEventId: event.eventId, stepId: MAIN_STEP });
      sends.push({
        sendId,
        userId: event.userId,
        campaignId: campaign.id,
        campaignVersion: campaign.version,
        triggerEventId: event.eventId,
        stepId: MAIN_STEP,
        dueAt: verdict.dueAt,
        triggerEvent: event,
      });
      touched.push({ userId: event.userId, campaignId: campaign.id, at: now });
      // A send due right away is decided when it fires; only a real wait is worth a line.
      if (verdict.dueAt > now) decisions.push({ ...base, outcome: 'scheduled', reason: verdict.reason, scheduledFor: verdict.dueAt });
    }
  }
  return {
    effects: effects({ decisions, touches: touched, schedule: sends.filter((s) => s.dueAt > now) }),
    dueNow: sends.filter((s) => s.dueAt <= now),
    starts,
  };
}
