import type { CompiledCampaign } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import { deriveSendId, type EventEnvelope, type Profile } from '@nudge/contracts';
import {
  advanceRun,
  awaitsEvent,
  eventOnRun,
  runLimitRefusal,
  startRun,
  type AddressSuppressions,
  type JourneyCause,
  type JourneyRun,
  type JourneyStepResult,
} from '@nudge/decisions';
import type { Settings } from '@nudge/settings';
import { effects, mergeEffects, type Effects } from './effects';
import { effectsOfSent } from './send-verdict';
import type { JourneyStart } from './trigger-plans';

/** What moving journey runs on reads, for the users concerned. */
export interface JourneyState {
  /** The users' active runs. */
  runs: readonly JourneyRun[];
  /** A journey at a version: a run keeps the version it started on. */
  pinned(campaignId: string, version: number): CompiledCampaign | undefined;
  /** The journey as it is now (status and schedule); undefined when it no longer exists. */
  current(campaignId: string): CompiledCampaign | undefined;
  profiles: ReadonlyMap<string, Profile>;
  ledgers: ReadonlyMap<string, readonly LedgerEntry[]>;
  suppressions: ReadonlyMap<string, AddressSuppressions>;
  settings: Settings;
  /**
   * Simulate's events files may name a journey step (`stepId`) in a message status event instead
   * of the send id dispatch would give it: with this set, the event gets that step's send id.
   */
  fillSendIds?: boolean;
}

interface Move {
  run: JourneyRun;
  cause: JourneyCause;
}

/**
 * A batch of events against the users' active runs (a status a run remembers, an exception that
 * ends it, an event a waitFor step awaits), then new runs started (one at a time per user unless
 * `concurrentRuns` allows more), then every run moved on, in order: a user's sends count against
 * that user's later steps' caps.
 */
export async function planJourneyEvents(
  state: JourneyState,
  events: readonly EventEnvelope[],
  starts: readonly JourneyStart[],
  now: Date,
): Promise<Effects> {
  const runs = new Map(state.runs.map((run) => [run.runId, run]));
  const parts: Effects[] = [];
  const moves: Move[] = [];
  for (const event of events) {
    for (const run of [...runs.values()]) {
      const pinned = state.pinned(run.campaignId, run.campaignVersion);
      const latest = runs.get(run.runId) ?? run;
      if (run.userId !== event.userId || run.status !== 'active' || !pinned || latest.status !== 'active') continue;
      const seen = state.fillSendIds ? withSendId(event, latest) : event;
      const effect = eventOnRun(latest, pinned, seen, now);
      if (effect.remembered) {
        runs.set(run.runId, effect.run);
        parts.push(effects({ runs: [effect.run] }));
      }
      if (effect.cancelled) {
        runs.set(run.runId, effect.cancelled.run);
        parts.push(effectsOfJourneyStep(effect.cancelled, null, now));
      } else if (effect.awaited) moves.push({ run: effect.run, cause: { kind: 'event', event: seen } });
    }
  }
  for (const { event, campaign } of starts) {
    const run = startRun(campaign, event, now);
    const refusal = runLimitRefusal(campaign, event.userId, runs.values());
    if (refusal) {
      parts.push(effects({ decisions: [{ ...decisionBase(run, now), ...refusal, outcome: 'not_eligible', scheduledFor: null }] }));
      continue;
    }
    runs.set(run.runId, run);
    parts.push(effects({ runs: [run], touches: [{ userId: event.userId, campaignId: campaign.id, at: now }] }));
    moves.push({ run, cause: { kind: 'due' } });
  }
  parts.push(await advance(state, moves, runs, now));
  return mergeEffects(...parts);
}

/** Runs whose timer is due (a wait ended, a waitFor timed out, a message deferred to its window), moved on. */
export async function planJourneysDue(state: JourneyState, due: readonly JourneyRun[], now: Date): Promise<Effects> {
  const runs = new Map(due.map((run) => [run.runId, run]));
  return advance(
    state,
    due.map((run) => ({ run, cause: { kind: 'due' } })),
    runs,
    now,
  );
}

async function advance(state: JourneyState, moves: readonly Move[], runs: Map<string, JourneyRun>, now: Date): Promise<Effects> {
  const ledgers = new Map<string, LedgerEntry[]>();
  const parts: Effects[] = [];
  for (const { run, cause } of moves) {
    const latest = runs.get(run.runId) ?? run;
    const pinned = state.pinned(run.campaignId, run.campaignVersion);
    if (!pinned) continue; // a version is never deleted; nothing to run on if it were
    if (cause.kind === 'event' && !awaitsEvent(latest, pinned, cause.event)) continue;
    // advanceRun appends the sends it makes: a user's later steps see them.
    const ledger = ledgers.get(run.userId) ?? [...(state.ledgers.get(run.userId) ?? [])];
    ledgers.set(run.userId, ledger);
    const profile = state.profiles.get(run.userId) ?? null;
    const context = {
      pinned,
      current: state.current(run.campaignId),
      profile,
      settings: state.settings,
      ledger,
      now,
      suppressions: state.suppressions.get(run.userId),
    };
    const result = await advanceRun(latest, context, cause);
    runs.set(result.run.runId, result.run);
    parts.push(effectsOfJourneyStep(result, profile, now));
  }
  return mergeEffects(...parts);
}

/**
 * What a journey step decided causes: the run written, its decisions, and for each message
 * that goes its send request and cap ledger row (`effectsOfSent`, as any send) and its attribution.
 */
export function effectsOfJourneyStep(result: JourneyStepResult, profile: Profile | null, now: Date): Effects {
  const { run } = result;
  const base = decisionBase(run, now);
  return mergeEffects(
    effects({ runs: [run], decisions: result.decisions.map((decision) => ({ ...base, ...decision })) }),
    ...result.sends.map((send) =>
      effectsOfSent(
        { ...base, sendId: send.sendId, stepId: send.stepId, triggerEvent: run.triggerEvent },
        send.campaign,
        profile,
        send.channel,
        send.to,
        now,
      ),
    ),
    effects({
      attributions: result.attributions.map((attribution) => ({
        ...attribution,
        userId: run.userId,
        campaignId: run.campaignId,
        at: now,
        triggerProperties: run.triggerEvent.properties,
      })),
    }),
  );
}

function decisionBase(run: JourneyRun, now: Date) {
  return {
    userId: run.userId,
    campaignId: run.campaignId,
    campaignVersion: run.campaignVersion,
    triggerEventId: run.triggerEvent.eventId,
    at: now,
  };
}

/** A message status event naming a step of this run instead of its send id, given the send id. */
function withSendId(event: EventEnvelope, run: JourneyRun): EventEnvelope {
  const { stepId, sendId, campaignId } = event.properties;
  if (sendId !== undefined || typeof stepId !== 'string' || campaignId !== run.campaignId) return event;
  const derived = deriveSendId({ campaignId: run.campaignId, triggerEventId: run.triggerEvent.eventId, stepId });
  return { ...event, properties: { ...event.properties, sendId: derived } };
}
