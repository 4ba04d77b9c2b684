import { CampaignIndex, type CompiledCampaign } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import { deriveSendId, emptyProfile, MAIN_STEP, type DecisionOutcome, type EventEnvelope, type Profile } from '@nudge/contracts';
import {
  advanceRun,
  eventOnRun,
  runLimitRefusal,
  decideSend,
  type AddressSuppressions,
  decideTrigger,
  findCancellation,
  startRun,
  type ExceptionEvent,
  type JourneyCause,
  type JourneyRun,
  type JourneyStepResult,
} from '@nudge/decisions';
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

/** Something due on the virtual clock: a one-message campaign's send, or a journey run's next move. */
type Due =
  { kind: 'send'; sendId: string; campaignId: string; trigger: EventEnvelope; dueAt: Date } | { kind: 'run'; runId: string; dueAt: Date };
type PendingSend = Extract<Due, { kind: 'send' }>;

/** Deferrals always move forward; this only bounds a broken rule set. */
const MAX_FIRINGS = 1_000_000;

/**
 * Replays events through the same pure decisions the rules service makes — triggers,
 * exceptions, re-eligibility, then at send time consent, windows, country rules and
 * caps — on virtual time: a 7-day delay takes no time at all. Events are taken in
 * timestamp order; a pending send fires when the clock passes its due time.
 */
export async function simulate(input: SimulationInput): Promise<SimulatedDecision[]> {
  return new Simulation(input).run();
}

class Simulation {
  private readonly index = new CampaignIndex();
  private readonly profiles: Map<string, Profile>;
  private readonly pending: Due[] = [];
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
  }

  async run(): Promise<SimulatedDecision[]> {
    const events = [...this.input.events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    for (const event of events) {
      const now = new Date(event.timestamp);
      await this.fireUntil(now);
      this.applyExceptions(event, now);
      await this.applyToRuns(event, now);
      await this.applyTriggers(event, now);
      await this.fireUntil(now);
    }
    await this.fireUntil(new Date(8.64e15));
    return this.decisions;
  }

  private applyExceptions(event: EventEnvelope, now: Date): void {
    const campaigns = this.index.forException(event.name);
    if (campaigns.length === 0) return;
    this.exceptions.set(event.userId, [...(this.exceptions.get(event.userId) ?? []), event]);
    for (const send of [...this.pending]) {
      if (send.kind !== 'send') continue;
      const campaign = campaigns.find((c) => c.id === send.campaignId);
      if (!campaign || send.trigger.userId !== event.userId) continue;
      const sendAt = new Date(Math.max(send.dueAt.getTime(), now.getTime()));
      const cancellation = findCancellation(campaign, send.trigger, [event], sendAt);
      if (!cancellation) continue;
      this.pending.splice(this.pending.indexOf(send), 1);
      this.record(now, send.trigger, campaign.id, 'cancelled_exception', cancellation.reason);
    }
  }

  private async applyTriggers(event: EventEnvelope, now: Date): Promise<void> {
    for (const campaign of this.index.forTrigger(event.name)) {
      const verdict = await decideTrigger({
        event,
        campaign,
        now,
        profile: this.profiles.get(event.userId) ?? null,
        lastTouchedAt: this.touches.get(touchKey(event.userId, campaign.id)) ?? null,
        knownExceptions: this.exceptions.get(event.userId) ?? [],
      });
      if (verdict.outcome !== 'scheduled') {
        this.record(now, event, campaign.id, verdict.outcome, verdict.reason);
        continue;
      }
      if (campaign.journey) {
        await this.startRun(campaign, event, now);
        continue;
      }
      this.touches.set(touchKey(event.userId, campaign.id), now);
      const sendId = deriveSendId({ campaignId: campaign.id, triggerEventId: event.eventId, stepId: MAIN_STEP });
      this.enqueue({ kind: 'send', sendId, campaignId: campaign.id, trigger: event, dueAt: verdict.dueAt });
      if (verdict.dueAt > now)
        this.record(now, event, campaign.id, 'scheduled', verdict.reason, { scheduledFor: verdict.dueAt.toISOString() });
    }
  }

  private async fireUntil(until: Date): Promise<void> {
    while (this.pending[0] && this.pending[0].dueAt <= until) {
      if (++this.firings > MAX_FIRINGS) throw new Error(`simulation stopped after ${MAX_FIRINGS} firings: do the rules defer forever?`);
      const due = this.pending.shift() as Due;
      if (due.kind === 'send') await this.fire(due, due.dueAt);
      else await this.moveRun(due.runId, { kind: 'due' }, due.dueAt);
    }
  }

  private async fire(send: PendingSend, now: Date): Promise<void> {
    const campaign = this.index.get(send.campaignId) as CompiledCampaign;
    const userId = send.trigger.userId;
    const profile = this.profiles.get(userId) ?? null;
    const ledger = this.ledgers.get(userId) ?? [];
    const suppressions = this.input.suppressions?.get(userId);
    const verdict = decideSend({ campaign, profile, now, settings: this.input.settings, ledger, suppressions });
    if (verdict.outcome === 'deferred_window') {
      this.enqueue({ ...send, dueAt: verdict.scheduledFor });
      this.record(now, send.trigger, campaign.id, verdict.outcome, verdict.reason, { scheduledFor: verdict.scheduledFor.toISOString() });
      return;
    }
    if (verdict.outcome === 'held_out') this.touches.set(touchKey(userId, campaign.id), now);
    if (verdict.outcome !== 'sent') {
      this.record(now, send.trigger, campaign.id, verdict.outcome, verdict.reason);
      return;
    }
    this.ledgers.set(userId, [...ledger, { campaignId: campaign.id, channel: verdict.channel, category: campaign.category, sentAt: now }]);
    this.touches.set(touchKey(userId, campaign.id), now);
    const rendered = await this.render(campaign, send.trigger, now);
    this.record(now, send.trigger, campaign.id, 'sent', verdict.reason, { channel: verdict.channel, to: verdict.to, ...rendered });
  }

  /** An event against the user's active runs: a status of a run's message, an exception, an awaited event. */
  private async applyToRuns(event: EventEnvelope, now: Date): Promise<void> {
    for (const run of [...this.runs.values()]) {
      if (run.userId !== event.userId || run.status !== 'active') continue;
      const seen = withSendId(event, run);
      const effect = eventOnRun(run, this.index.get(run.campaignId) as CompiledCampaign, seen, now);
      this.runs.set(run.runId, effect.run);
      if (effect.cancelled) await this.applyRunResult(effect.cancelled, now);
      else if (effect.awaited) await this.moveRun(run.runId, { kind: 'event', event: seen }, now);
    }
  }

  private async startRun(campaign: CompiledCampaign, event: EventEnvelope, now: Date): Promise<void> {
    const refusal = runLimitRefusal(campaign, event.userId, this.runs.values());
    if (refusal) {
      this.record(now, event, campaign.id, 'not_eligible', refusal.reason, { stepId: refusal.stepId });
      return;
    }
    this.touches.set(touchKey(event.userId, campaign.id), now);
    const run = startRun(campaign, event, now);
    this.runs.set(run.runId, run);
    await this.moveRun(run.runId, { kind: 'due' }, now);
  }

  private async moveRun(runId: string, cause: JourneyCause, now: Date): Promise<void> {
    const run = this.runs.get(runId) as JourneyRun;
    const campaign = this.index.get(run.campaignId) as CompiledCampaign;
    const ledger = this.ledgers.get(run.userId) ?? [];
    this.ledgers.set(run.userId, ledger);
    const profile = this.profiles.get(run.userId) ?? null;
    const result = await advanceRun(
      run,
      {
        pinned: campaign,
        current: campaign,
        profile,
        settings: this.input.settings,
        ledger,
        now,
        suppressions: this.input.suppressions?.get(run.userId),
      },
      cause,
    );
    await this.applyRunResult(result, now);
  }

  private async applyRunResult({ run, decisions, sends }: JourneyStepResult, now: Date): Promise<void> {
    this.runs.set(run.runId, run);
    for (const decision of decisions) {
      const send = sends.find((s) => s.stepId === decision.stepId && decision.outcome === 'sent');
      const extra: Partial<SimulatedDecision> = { stepId: decision.stepId };
      if (decision.scheduledFor) extra.scheduledFor = decision.scheduledFor.toISOString();
      if (send) Object.assign(extra, { channel: send.channel, to: send.to, ...(await this.render(send.campaign, run.triggerEvent, now)) });
      this.record(now, run.triggerEvent, run.campaignId, decision.outcome, decision.reason, extra);
    }
    if (run.status === 'active' && run.dueAt) this.enqueue({ kind: 'run', runId: run.runId, dueAt: run.dueAt });
  }

  /** The body dispatch would send, or — like dispatch, which fails that one message — why it cannot be rendered. */
  private async render(campaign: CompiledCampaign, trigger: EventEnvelope, now: Date): Promise<{ body: string } | { renderError: string }> {
    const scope = {
      event: trigger,
      profile: this.profiles.get(trigger.userId) ?? emptyProfile(trigger.userId, now.toISOString()),
      campaign: { id: campaign.id, name: campaign.document.name, version: campaign.version },
    };
    try {
      return { body: (await renderTemplate(this.templates.get(campaign.document.message?.body ?? ''), scope)).text };
    } catch (error) {
      if (error instanceof TemplateError) return { renderError: `template error: ${error.message}` };
      throw error;
    }
  }

  private enqueue(send: Due): void {
    const at = this.pending.findIndex((other) => other.dueAt > send.dueAt);
    this.pending.splice(at === -1 ? this.pending.length : at, 0, send);
  }

  private record(
    at: Date,
    trigger: EventEnvelope,
    campaignId: string,
    outcome: DecisionOutcome,
    reason: string,
    extra: Partial<SimulatedDecision> = {},
  ): void {
    this.decisions.push({
      at: at.toISOString(),
      userId: trigger.userId,
      campaignId,
      triggerEventId: trigger.eventId,
      outcome,
      reason,
      ...extra,
    });
  }
}

/**
 * In an events file a message status event may name the journey step (`stepId`) instead of
 * the send id dispatch would give it: simulate fills in the send id of that step of this run.
 */
function withSendId(event: EventEnvelope, run: JourneyRun): EventEnvelope {
  const { stepId, sendId, campaignId } = event.properties;
  if (sendId !== undefined || typeof stepId !== 'string' || campaignId !== run.campaignId) return event;
  const derived = deriveSendId({ campaignId: run.campaignId, triggerEventId: run.triggerEvent.eventId, stepId });
  return { ...event, properties: { ...event.properties, sendId: derived } };
}

function touchKey(userId: string, campaignId: string): string {
  return `${userId}\u0000${campaignId}`;
}
