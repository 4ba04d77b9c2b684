import type { CompiledCampaign, CompiledJourney, CompiledStep } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import {
  deriveRunId,
  deriveSendId,
  emptyProfile,
  isMessageEventName,
  MESSAGE_EVENT_NAMES,
  type Channel,
  type DecisionOutcome,
  type EventEnvelope,
  type Profile,
} from '@nudge/contracts';
import type { Settings } from '@nudge/settings';
import { addIsoDuration, nextWallTime, resolveZone } from '@nudge/timing';
import { isDeepStrictEqual } from 'node:util';
import { isMeasured } from './conversion-attribution';
import { findCancellation, type ExceptionEvent } from './exception-decision';
import { decideSend, type AddressSuppressions } from './send-decision';

/** What a run remembers of one step: the `journey` fact branches test (`$.steps.welcome.clicked`). */
export interface StepHistory {
  /** When the step last ran. */
  at: string;
  /** A message step's decision (`sent`, `capped`, …). */
  outcome?: DecisionOutcome;
  sendId?: string;
  channel?: Channel;
  /** Set by the message's own status events (message_delivered, message_read, …). */
  delivered?: boolean;
  read?: boolean;
  clicked?: boolean;
  replied?: boolean;
  failed?: boolean;
  /** A waitFor step: whether its event came in time, and which one. */
  arrived?: boolean;
  eventId?: string;
  /** A branch step: the branch taken (1-based), or "default". */
  branch?: number | 'default';
}

export type RunStatus = 'active' | 'completed' | 'exited';

/**
 * One user's way through one journey, started by one trigger event. `phase` says what the
 * current step is doing: `ready` — it runs when `dueAt` comes (at once, or a message deferred
 * to its window); `waiting` — it ran and waits for `dueAt` (a wait's end, a waitFor's timeout)
 * or, for a waitFor, for the event `waitingFor`.
 */
export interface JourneyRun {
  runId: string;
  campaignId: string;
  /** The version the run started on: its steps are the ones it follows to the end. */
  campaignVersion: number;
  userId: string;
  triggerEvent: EventEnvelope;
  stepId: string;
  phase: 'ready' | 'waiting';
  dueAt: Date | null;
  waitingFor: string | null;
  status: RunStatus;
  history: Record<string, StepHistory>;
  startedAt: Date;
  updatedAt: Date;
}

/** A decision a run made, at one of its steps. */
export interface JourneyDecision {
  stepId: string;
  outcome: DecisionOutcome;
  reason: string;
  scheduledFor: Date | null;
}

/** A message a run decided to send. `campaign` is the step's one-message view, for the send request. */
export interface JourneySend {
  sendId: string;
  stepId: string;
  campaign: CompiledCampaign;
  channel: Channel;
  to: string;
}

/** A message step's decision that counts for conversions (when the journey measures them): sent (treated) or held out (control). */
export interface JourneyAttribution {
  sendId: string;
  group: 'treated' | 'held_out';
}

export interface JourneyContext {
  /** The version the run started on. */
  pinned: CompiledCampaign;
  /** The campaign as it is now (status and schedule); undefined when it no longer exists. */
  current: CompiledCampaign | undefined;
  profile: Profile | null;
  settings: Settings;
  /** The user's recent sends, for caps; sends made here are appended. */
  ledger: LedgerEntry[];
  now: Date;
  /** The opt-outs of the user's addresses (decideSend's `suppressions`). */
  suppressions?: AddressSuppressions;
}

export type JourneyCause = { kind: 'due' } | { kind: 'event'; event: EventEnvelope };

export interface JourneyStepResult {
  run: JourneyRun;
  decisions: JourneyDecision[];
  sends: JourneySend[];
  attributions: JourneyAttribution[];
}

/** A new run at the journey's first step, ready now. */
export function startRun(campaign: CompiledCampaign, event: EventEnvelope, now: Date): JourneyRun {
  const journey = journeyOf(campaign);
  return {
    runId: deriveRunId({ campaignId: campaign.id, triggerEventId: event.eventId }),
    campaignId: campaign.id,
    campaignVersion: campaign.version,
    userId: event.userId,
    triggerEvent: event,
    stepId: journey.firstStepId,
    phase: 'ready',
    dueAt: now,
    waitingFor: null,
    status: 'active',
    history: {},
    startedAt: now,
    updatedAt: now,
  };
}

/**
 * Moves a run on as far as it can go now: a due timer ends a wait or times out a waitFor; an
 * awaited event ends a waitFor; then every step that is ready runs, in order, until the run
 * waits, is deferred to a window, or ends. Each step says what it did in a decision with its
 * step id. Message steps go through the same send-time decision as any message (status,
 * topic, consent, window and country rules, caps, holdout); a message that is not sent does
 * not stop the run — the next step decides what a non-recipient gets. A run stops early only
 * when the campaign is no longer active (paused, archived, out of schedule, deleted).
 */
export async function advanceRun(run: JourneyRun, context: JourneyContext, cause: JourneyCause): Promise<JourneyStepResult> {
  const step = new RunStep(structuredClone(run), context);
  if (run.status !== 'active') return step.result();
  if (cause.kind === 'event') step.arrive(cause.event);
  else step.wakeUp();
  // Forward-only steps: a run cannot take more steps than the journey has.
  for (let guard = journeyOf(context.pinned).steps.length + 1; guard > 0 && step.isReady(); guard--) await step.runCurrent();
  return step.result();
}

/** Whether `event` is what the run waits for: the awaited name, after the trigger, and matching properties. */
export function awaitsEvent(run: JourneyRun, campaign: CompiledCampaign, event: EventEnvelope): boolean {
  if (run.status !== 'active' || run.phase !== 'waiting' || run.waitingFor !== event.name || event.userId !== run.userId) return false;
  const step = journeyOf(campaign).step(run.stepId);
  if (step?.type !== 'waitFor') return false;
  if (Date.parse(event.timestamp) < Date.parse(run.triggerEvent.timestamp)) return false;
  if (isMessageEventName(event.name) && !concernsRun(run, event)) return false;
  return Object.entries(step.match).every(([eventKey, triggerKey]) => {
    const value = event.properties[eventKey];
    return value !== undefined && isDeepStrictEqual(value, run.triggerEvent.properties[triggerKey]);
  });
}

/** A run's history with a message status event applied (`clicked`, …), or null when the event is not about this run. */
export function withInteraction(run: JourneyRun, event: EventEnvelope): JourneyRun | null {
  const flag = INTERACTION_FLAGS[event.name];
  if (!flag || !concernsRun(run, event)) return null;
  const entry = Object.entries(run.history).find(([, h]) => h.sendId !== undefined && h.sendId === event.properties.sendId);
  if (!entry) return null;
  const [stepId, history] = entry;
  if (history[flag] === true) return null;
  // A click implies the message was delivered and read, whatever the provider reported.
  const implied = flag === 'clicked' || flag === 'replied' ? { delivered: true, read: true } : flag === 'read' ? { delivered: true } : {};
  return { ...run, history: { ...run.history, [stepId]: { ...history, ...implied, [flag]: true } } };
}

/** The cancellation an exception event makes of a run, if any (same rule as for a pending send). */
export function runCancellation(run: JourneyRun, campaign: CompiledCampaign, candidates: readonly ExceptionEvent[], now: Date) {
  if (run.status !== 'active') return null;
  return findCancellation(campaign, run.triggerEvent, candidates, now);
}

/** What one event does to one active run; the caller writes `run`, collects `cancelled`, and moves it on when `awaited`. */
export interface RunEventEffect {
  run: JourneyRun;
  /** The run remembered a status of one of its messages (write it even if nothing else happens). */
  remembered: boolean;
  /** An exception ended the run. */
  cancelled: JourneyStepResult | null;
  /** The run waits for this event: advance it with `{ kind: 'event', event }`. */
  awaited: boolean;
}

/**
 * One event against one run of `pinned` (the version it follows), in this order: a status of
 * the run's own message is remembered; an exception ends the run; an awaited event is flagged.
 */
export function eventOnRun(run: JourneyRun, pinned: CompiledCampaign, event: EventEnvelope, now: Date): RunEventEffect {
  const remembered = withInteraction(run, event);
  const current = remembered ?? run;
  const cancellation = runCancellation(current, pinned, [event], now);
  return {
    run: current,
    remembered: remembered !== null,
    cancelled: cancellation ? cancelRun(current, cancellation.reason, now) : null,
    awaited: !cancellation && awaitsEvent(current, pinned, event),
  };
}

/**
 * Why a trigger may not start a run of `campaign` now: the user is already in as many runs as
 * `concurrentRuns` allows (default 1). `runs` are the user's runs of any status, any campaign.
 */
export function runLimitRefusal(
  campaign: CompiledCampaign,
  userId: string,
  runs: Iterable<JourneyRun>,
): { stepId: string; reason: string } | null {
  const limit = campaign.document.concurrentRuns ?? 1;
  const running = [...runs]
    .filter((r) => r.userId === userId && r.campaignId === campaign.id && r.status === 'active')
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  const oldest = running[0];
  if (!oldest || running.length < limit) return null;
  return {
    stepId: journeyOf(campaign).firstStepId,
    reason: `already in ${campaign.id} (run ${oldest.runId} at step "${oldest.stepId}" since ${oldest.startedAt.toISOString()}); concurrentRuns is ${limit}`,
  };
}

/** The run ended by a cancellation, with the decision that says so. */
export function cancelRun(run: JourneyRun, reason: string, now: Date): JourneyStepResult {
  return {
    run: { ...run, status: 'exited', phase: 'ready', dueAt: null, waitingFor: null, updatedAt: now },
    decisions: [{ stepId: run.stepId, outcome: 'cancelled_exception', reason: `left the journey: ${reason}`, scheduledFor: null }],
    sends: [],
    attributions: [],
  };
}

const INTERACTION_FLAGS: Record<string, 'delivered' | 'read' | 'clicked' | 'replied' | 'failed' | undefined> = {
  [MESSAGE_EVENT_NAMES.delivered]: 'delivered',
  [MESSAGE_EVENT_NAMES.read]: 'read',
  [MESSAGE_EVENT_NAMES.clicked]: 'clicked',
  [MESSAGE_EVENT_NAMES.replied]: 'replied',
  [MESSAGE_EVENT_NAMES.failed]: 'failed',
};

/** A message_* event is about this run when it reports one of the run's own messages. */
function concernsRun(run: JourneyRun, event: EventEnvelope): boolean {
  const sendId = event.properties.sendId;
  return (
    event.properties.campaignId === run.campaignId && Object.values(run.history).some((h) => h.sendId !== undefined && h.sendId === sendId)
  );
}

function journeyOf(campaign: CompiledCampaign): CompiledJourney {
  if (!campaign.journey) throw new Error(`campaign ${campaign.id} v${campaign.version} is not a journey`);
  return campaign.journey;
}

/** One advance of one run: the state being changed and what it decided. */
class RunStep {
  private readonly decisions: JourneyDecision[] = [];
  private readonly sends: JourneySend[] = [];
  private readonly attributions: JourneyAttribution[] = [];
  private readonly journey: CompiledJourney;

  constructor(
    private readonly run: JourneyRun,
    private readonly context: JourneyContext,
  ) {
    this.journey = journeyOf(context.pinned);
  }

  result(): JourneyStepResult {
    return { run: this.run, decisions: this.decisions, sends: this.sends, attributions: this.attributions };
  }

  isReady(): boolean {
    return this.run.status === 'active' && this.run.phase === 'ready' && this.run.dueAt !== null && this.run.dueAt <= this.context.now;
  }

  /** The awaited event came: the waitFor takes its `next`. */
  arrive(event: EventEnvelope): void {
    const step = this.current();
    if (step?.type !== 'waitFor' || !awaitsEvent(this.run, this.context.pinned, event)) return;
    this.remember(step.id, { arrived: true, eventId: event.eventId });
    this.decide(step.id, 'branched', `${event.name} ${event.eventId} arrived within ${step.timeout}: ${describeNext(step.next)}`);
    this.moveTo(step.next);
  }

  /** A timer came due: a wait is over, a waitFor timed out; a ready step is simply run. */
  wakeUp(): void {
    const step = this.current();
    if (this.run.phase !== 'waiting' || this.run.dueAt === null || this.run.dueAt > this.context.now) return;
    if (step?.type === 'wait') return this.moveTo(step.next);
    if (step?.type === 'waitFor') {
      this.remember(step.id, { arrived: false });
      this.decide(step.id, 'branched', `no ${step.event} within ${step.timeout}: ${describeNext(step.onTimeout)}`);
      this.moveTo(step.onTimeout);
    }
  }

  async runCurrent(): Promise<void> {
    const step = this.current();
    if (!step) return this.end('exited', 'campaign_inactive', `step "${this.run.stepId}" is not in v${this.run.campaignVersion}`);
    const activity = this.context.current?.isActiveAt(this.context.now) ?? {
      active: false,
      reason: `campaign ${this.run.campaignId} no longer exists`,
    };
    if (!activity.active) return this.end('exited', 'campaign_inactive', `left the journey: ${activity.reason}`);
    switch (step.type) {
      case 'wait':
        return this.startWait(step);
      case 'waitFor':
        return this.startWaitFor(step);
      case 'message':
        return this.sendMessage(step);
      case 'branch':
        return this.branch(step);
      case 'exit':
        return this.end('completed', 'completed', `reached the exit step "${step.id}"`);
    }
  }

  private startWait(step: Extract<CompiledStep, { type: 'wait' }>): void {
    const { now, profile, settings } = this.context;
    const zone = resolveZone(profile?.timezone, step.timezone, settings.defaultTimezone);
    const until = step.duration ? addIsoDuration(now, step.duration) : nextWallTime(now, step.until as string, zone);
    const span = step.duration ? `waiting ${step.duration}` : `waiting until ${step.until} in ${zone}`;
    this.wait(step.id, until, null);
    this.decide(step.id, 'scheduled', `${span}; then ${describeNext(step.next)}`, until);
  }

  private startWaitFor(step: Extract<CompiledStep, { type: 'waitFor' }>): void {
    const timeout = addIsoDuration(this.context.now, step.timeout);
    this.wait(step.id, timeout, step.event);
    const reason = `waiting for ${step.event} until ${timeout.toISOString()}: if it comes, ${describeNext(step.next)}; if not, ${describeNext(step.onTimeout)}`;
    this.decide(step.id, 'scheduled', reason, timeout);
  }

  private sendMessage(step: Extract<CompiledStep, { type: 'message' }>): void {
    const { now, profile, settings, ledger, current, suppressions } = this.context;
    // Steps of the pinned version, status and schedule of the current one (checked above).
    const campaign: CompiledCampaign = { ...step.send, isActiveAt: (current as CompiledCampaign).isActiveAt };
    const verdict = decideSend({ campaign, profile, now, settings, ledger, suppressions });
    if (verdict.outcome === 'deferred_window') {
      this.run.dueAt = verdict.scheduledFor;
      this.run.updatedAt = now;
      this.decide(step.id, verdict.outcome, verdict.reason, verdict.scheduledFor);
      return;
    }
    const sendId = deriveSendId({ campaignId: this.run.campaignId, triggerEventId: this.run.triggerEvent.eventId, stepId: step.id });
    this.remember(step.id, { outcome: verdict.outcome });
    this.decide(step.id, verdict.outcome, verdict.reason);
    const measured = isMeasured(this.context.pinned);
    if (verdict.outcome === 'held_out') {
      this.remember(step.id, { sendId });
      if (measured) this.attributions.push({ sendId, group: 'held_out' });
    }
    if (verdict.outcome === 'sent') {
      this.remember(step.id, { sendId, channel: verdict.channel });
      this.sends.push({ sendId, stepId: step.id, campaign: step.send, channel: verdict.channel, to: verdict.to });
      if (measured) this.attributions.push({ sendId, group: 'treated' });
      ledger.push({ campaignId: this.run.campaignId, channel: verdict.channel, category: step.send.category, sentAt: now });
    }
    this.moveTo(step.next);
  }

  private async branch(step: Extract<CompiledStep, { type: 'branch' }>): Promise<void> {
    const facts = {
      event: this.run.triggerEvent,
      profile: this.context.profile ?? emptyProfile(this.run.userId, this.context.now.toISOString()),
      journey: { steps: this.run.history, startedAt: this.run.startedAt.toISOString() },
    };
    for (const [index, branch] of step.branches.entries()) {
      if (!(await branch.matches(facts))) continue;
      this.remember(step.id, { branch: index + 1 });
      this.decide(step.id, 'branched', `branch ${index + 1} of "${step.id}" holds: ${describeNext(branch.next)}`);
      return this.moveTo(branch.next);
    }
    this.remember(step.id, { branch: 'default' });
    this.decide(step.id, 'branched', `no branch of "${step.id}" holds: default, ${describeNext(step.default)}`);
    this.moveTo(step.default);
  }

  private current(): CompiledStep | undefined {
    return this.journey.step(this.run.stepId);
  }

  private moveTo(next: string | null): void {
    if (next === null) return this.end('completed', 'completed', `finished after its last step "${this.run.stepId}"`);
    Object.assign(this.run, { stepId: next, phase: 'ready', dueAt: this.context.now, waitingFor: null, updatedAt: this.context.now });
  }

  private wait(stepId: string, until: Date, event: string | null): void {
    this.remember(stepId, {});
    Object.assign(this.run, { phase: 'waiting', dueAt: until, waitingFor: event, updatedAt: this.context.now });
  }

  private end(status: RunStatus, outcome: DecisionOutcome, reason: string): void {
    this.decide(this.run.stepId, outcome, reason);
    Object.assign(this.run, { status, phase: 'ready', dueAt: null, waitingFor: null, updatedAt: this.context.now });
  }

  private remember(stepId: string, facts: Omit<StepHistory, 'at'>): void {
    this.run.history[stepId] = { ...this.run.history[stepId], ...facts, at: this.context.now.toISOString() };
  }

  private decide(stepId: string, outcome: DecisionOutcome, reason: string, scheduledFor: Date | null = null): void {
    this.decisions.push({ stepId, outcome, reason, scheduledFor });
  }
}

function describeNext(next: string | null): string {
  return next === null ? 'the journey ends' : `next step "${next}"`;
}
