import { CampaignIndex, type CompiledCampaign } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import { emptyProfile, MAIN_STEP, type DecisionOutcome, type EventEnvelope, type Profile, type SendRequest } from '@nudge/contracts';
import type { AddressSuppressions, ExceptionEvent, JourneyRun } from '@nudge/decisions';
import {
  isWaitingFallback,
  mergeEffects,
  planDue,
  planExceptions,
  planJourneyEvents,
  planJourneysDue,
  planTriggers,
  touchKey,
  type DecisionRecord,
  type Effects,
  type JourneyState,
  type PendingSend,
  type SendState,
} from '@nudge/engine';
import type { Settings } from '@nudge/settings';
import { renderTemplate, TemplateCache, TemplateError } from '@nudge/templates';

export interface SimulationInput {
  campaigns: readonly CompiledCampaign[];
  settings: Settings;
  profiles: readonly Profile[];
  events: readonly EventEnvelope[];
  /**
   * The opt-outs of users' addresses (STOPs, channel-side withdrawals), by user id then
   * channel, as rules loads them at send time: a suppressed address gets no marketing.
   */
  suppressions?: ReadonlyMap<string, AddressSuppressions>;
  /**
   * Awaited after every event and every CHECKPOINT_FIRINGS firings: where a caller yields to
   * its other work and stops a simulation that has taken too long (by throwing).
   */
  checkpoint?: () => Promise<void>;
}

/** One decision the live stack would have made, at the virtual time it would have made it. */
export interface SimulatedDecision {
  at: string;
  userId: string;
  campaignId: string;
  triggerEventId: string;
  /** A journey's step; absent for a one-message campaign. */
  stepId?: string;
  outcome: DecisionOutcome;
  reason: string;
  scheduledFor?: string;
  channel?: string;
  to?: string;
  body?: string;
  /** Why dispatch would fail this message: its template does not render (a Liquid limit, a template error). */
  renderError?: string;
}

/** Something due on the virtual clock: a pending send, or a journey run's next move. */
type Due = { kind: 'send'; send: PendingSend; dueAt: Date } | { kind: 'run'; runId: string; dueAt: Date };

/** Deferrals always move forward; this only bounds a broken rule set. */
const MAX_FIRINGS = 1_000_000;
/** How many firings run between two checkpoints. */
const CHECKPOINT_FIRINGS = 1_000;

/**
 * Replays events through the rules service's own engine (`@nudge/engine`: the same planners,
 * the same effects) over an in-memory state store, on virtual time: a 7-day delay takes no time
 * at all. Events are taken in timestamp order, each as a batch of one; a pending send fires, and
 * a journey run moves on, when the clock passes its due time. Equal to live by construction: what
 * differs is only where the state is kept. Dispatch is not simulated, so a fallback step waiting
 * for dispatch's word never wakes, and nothing here converts.
 */
export async function simulate(input: SimulationInput): Promise<SimulatedDecision[]> {
  return new Simulation(input).run();
}

class Simulation {
  private readonly index = new CampaignIndex();
  private readonly profiles: Map<string, Profile>;
  private readonly suppressions: ReadonlyMap<string, AddressSuppressions>;
  /** The timers: pending sends and due runs, by due time (first in, first out on a tie). */
  private readonly queue: Due[] = [];
  private readonly runs = new Map<string, JourneyRun>();
  private readonly touches = new Map<string, Date>();
  private readonly ledgers = new Map<string, LedgerEntry[]>();
  private readonly exceptions = new Map<string, ExceptionEvent[]>();
  private readonly templates = new TemplateCache();
  private readonly decisions: SimulatedDecision[] = [];
  private firings = 0;

  constructor(private readonly input: SimulationInput) {
    for (const campaign of input.campaigns) this.index.put(campaign);
    this.profiles = new Map(input.profiles.map((p) => [p.userId, p]));
    this.suppressions = input.suppressions ?? new Map();
  }

  async run(): Promise<SimulatedDecision[]> {
    const events = [...this.input.events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    for (const event of events) {
      const now = new Date(event.timestamp);
      await this.fireUntil(now);
      await this.onEvent(event, now);
      await this.fireUntil(now);
      await this.input.checkpoint?.();
    }
    await this.fireUntil(new Date(8.64e15));
    return this.decisions;
  }

  /** One event as rules' trigger evaluation takes a batch: exceptions, triggers, journeys, then the sends due at once. */
  private async onEvent(event: EventEnvelope, now: Date): Promise<void> {
    // Exception events are kept for late triggers before anything is decided (as rules stores them).
    if (this.index.forException(event.name).length > 0) {
      this.exceptions.set(event.userId, [...(this.exceptions.get(event.userId) ?? []), event]);
    }
    const ended = new Set(this.index.forException(event.name).map((c) => c.id));
    const pending = this.queue.flatMap((due) =>
      due.kind === 'send' && due.send.userId === event.userId && ended.has(due.send.campaignId) ? [due.send] : [],
    );
    const exceptions = planExceptions({ campaigns: this.index, pending }, [event], now);
    const triggers = await planTriggers(
      { campaigns: this.index, profiles: this.profiles, touches: this.touches, knownExceptions: this.exceptions },
      [event],
      now,
    );
    const journeys = await planJourneyEvents(this.journeyState(), [event], triggers.starts, now);
    const decided = mergeEffects(exceptions, triggers.effects, journeys);
    const fired = planDue(this.sendState(decided), triggers.dueNow, now);
    await this.apply(mergeEffects(decided, fired));
  }

  private async fireUntil(until: Date): Promise<void> {
    while (this.queue[0] && this.queue[0].dueAt <= until) {
      if (++this.firings > MAX_FIRINGS) throw new Error(`simulation stopped after ${MAX_FIRINGS} firings: do the rules defer forever?`);
      if (this.firings % CHECKPOINT_FIRINGS === 0) await this.input.checkpoint?.();
      const due = this.queue.shift() as Due;
      if (due.kind === 'send') await this.apply(planDue(this.sendState(), [due.send], due.dueAt));
      else await this.apply(await planJourneysDue(this.journeyState(), [this.runs.get(due.runId) as JourneyRun], due.dueAt));
    }
  }

  private sendState(planned?: Effects): SendState {
    // The planned sends' users' ledgers over the stored ones (a copy of every user's per event made a long replay quadratic).
    const plannedFor = new Map<string, LedgerEntry[]>();
    for (const { userId, ...entry } of planned?.ledger ?? []) {
      plannedFor.set(userId, [...(plannedFor.get(userId) ?? this.ledgers.get(userId) ?? []), entry]);
    }
    const ledgers = { get: (userId: string) => plannedFor.get(userId) ?? this.ledgers.get(userId) };
    return {
      campaigns: this.campaignMap(),
      profiles: this.profiles,
      ledgers,
      suppressions: this.suppressions,
      settings: this.input.settings,
    };
  }

  private journeyState(): JourneyState {
    return {
      runs: [...this.runs.values()].filter((run) => run.status === 'active'),
      pinned: (id) => this.index.get(id),
      current: (id) => this.index.get(id),
      profiles: this.profiles,
      ledgers: this.ledgers,
      suppressions: this.suppressions,
      settings: this.input.settings,
      fillSendIds: true,
    };
  }

  private campaignMap(): Map<string, CompiledCampaign> {
    return new Map(this.input.campaigns.map((c) => [c.id, this.index.get(c.id) as CompiledCampaign]));
  }

  /** The in-memory state store: what rules' EffectsWriter writes to Postgres, kept here. */
  private async apply(effects: Effects): Promise<void> {
    const cancelled = new Set(effects.cancel);
    this.dequeue((due) => due.kind === 'send' && cancelled.has(due.send.sendId));
    for (const send of effects.schedule) {
      // Nothing wakes a step waiting for dispatch's word: dispatch is not simulated.
      if (isWaitingFallback(send)) continue;
      // A send id already pending is kept (as ON CONFLICT DO NOTHING keeps it).
      if (this.queue.some((due) => due.kind === 'send' && due.send.sendId === send.sendId)) continue;
      this.enqueue({ kind: 'send', send, dueAt: send.dueAt });
    }
    for (const run of effects.runs) {
      this.runs.set(run.runId, run);
      // A run has one timer (rules' `due_at`): a new one replaces the old.
      this.dequeue((due) => due.kind === 'run' && due.runId === run.runId);
      if (run.status === 'active' && run.dueAt) this.enqueue({ kind: 'run', runId: run.runId, dueAt: run.dueAt });
    }
    for (const { userId, ...entry } of effects.ledger) this.ledgers.set(userId, [...(this.ledgers.get(userId) ?? []), entry]);
    for (const touch of effects.touches) {
      const key = touchKey(touch.userId, touch.campaignId);
      const last = this.touches.get(key);
      if (!last || last < touch.at) this.touches.set(key, touch.at);
    }
    for (const decision of effects.decisions) this.decisions.push(await this.simulated(decision, effects.requests));
  }

  /** A decision as simulate reports it: a journey's step named, a sent message rendered. */
  private async simulated(decision: DecisionRecord, requests: readonly SendRequest[]): Promise<SimulatedDecision> {
    const campaign = this.index.get(decision.campaignId);
    const extra: Partial<SimulatedDecision> = {};
    // A journey's trigger decision is the campaign's, not a step's.
    if (campaign?.journey && decision.stepId !== MAIN_STEP) extra.stepId = decision.stepId;
    if (decision.scheduledFor) extra.scheduledFor = decision.scheduledFor.toISOString();
    const request = decision.outcome === 'sent' ? requests.find((r) => sameSend(r, decision)) : undefined;
    if (request) Object.assign(extra, { channel: request.channel, to: request.to, ...(await this.render(request, decision.at)) });
    return {
      at: decision.at.toISOString(),
      userId: decision.userId,
      campaignId: decision.campaignId,
      triggerEventId: decision.triggerEventId,
      outcome: decision.outcome,
      reason: decision.reason,
      ...extra,
    };
  }

  /** The body dispatch would send, or — like dispatch, which fails that one message — why it cannot be rendered. */
  private async render(request: SendRequest, now: Date): Promise<{ body: string } | { renderError: string }> {
    const scope = {
      event: request.scope.event,
      profile: this.profiles.get(request.userId) ?? emptyProfile(request.userId, now.toISOString()),
      campaign: request.scope.campaign,
    };
    try {
      return { body: (await renderTemplate(this.templates.get(request.message.body), scope)).text };
    } catch (error) {
      if (error instanceof TemplateError) return { renderError: `template error: ${error.message}` };
      throw error;
    }
  }

  private enqueue(due: Due): void {
    const at = this.queue.findIndex((other) => other.dueAt > due.dueAt);
    this.queue.splice(at === -1 ? this.queue.length : at, 0, due);
  }

  private dequeue(matches: (due: Due) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (matches(this.queue[i] as Due)) this.queue.splice(i, 1);
  }
}

function sameSend(request: SendRequest, decision: DecisionRecord): boolean {
  return (
    request.userId === decision.userId &&
    request.campaignId === decision.campaignId &&
    request.triggerEventId === decision.triggerEventId &&
    request.stepId === decision.stepId
  );
}
