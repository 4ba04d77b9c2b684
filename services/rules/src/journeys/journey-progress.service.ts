import { Inject, Injectable } from '@nestjs/common';
import type { CompiledCampaign } from '@nudge/campaigns';
import type { EventEnvelope, Profile, SendRequest } from '@nudge/contracts';
import {
  advanceRun,
  awaitsEvent,
  eventOnRun,
  runLimitRefusal,
  startRun,
  type JourneyCause,
  type JourneyRun,
  type JourneyStepResult,
} from '@nudge/decisions';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { profileAddresses } from '@nudge/channels';
import { loadProfiles, loadUserSuppressions } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { EntityManager } from 'typeorm';
import { CampaignCatalog, versionKey } from '../campaigns/campaign-catalog.service';
import { recordAttributions, type AttributionRow } from '../conversions/attributions';
import type { DecisionRecord } from '../decisions/decision-log';
import { SettingsStore } from '../settings/settings-store.service';
import { capLedgers, recordSends, type LedgerRow } from '../timers/send-ledger';
import { sendRequestFor } from '../timers/send-request';
import { touchCampaigns, type Touch } from '../triggers/campaign-touches';
import { activeRunsOf, saveRuns } from './journey-runs';

/** A trigger that may start a run: the campaign's trigger decision said `scheduled`. */
export interface JourneyStart {
  event: EventEnvelope;
  campaign: CompiledCampaign;
}

/** What moving a set of runs on decided, before it is written. */
interface Progress {
  runs: Map<string, JourneyRun>;
  /** Runs to write: started, moved on, or with a message status remembered. */
  changed: Set<string>;
  touches: Touch[];
  decisions: DecisionRecord[];
  requests: SendRequest[];
  sent: LedgerRow[];
  attributions: AttributionRow[];
}

/**
 * Moves journey runs on, inside the caller's transaction with the users locked: on the
 * events of a batch (a message status a run remembers, an exception that ends a run, an
 * event a waitFor step awaits), on new triggers (a run starts, one at a time per user
 * unless `concurrentRuns` allows more), and on due timers. Each step's decisions, sends,
 * cap ledger entries and attributions are written with the run's new state, so a crash
 * leaves either all of a step or none of it.
 */
@Injectable()
export class JourneyProgress {
  constructor(
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly catalog: CampaignCatalog,
    private readonly settings: SettingsStore,
  ) {}

  /** Applies a batch of events to the active runs of its users, then starts new runs. */
  async onEvents(manager: EntityManager, events: EventEnvelope[], starts: JourneyStart[], now: Date): Promise<DecisionRecord[]> {
    if (!this.catalog.index.hasJourneys && starts.length === 0) return [];
    const active = await activeRunsOf(
      manager,
      events.map((e) => e.userId),
    );
    if (active.length === 0 && starts.length === 0) return [];
    const progress = newProgress(active);
    const versions = await this.catalog.versions(active.map((run) => ({ id: run.campaignId, version: run.campaignVersion })));
    const moves: { run: JourneyRun; cause: JourneyCause }[] = [];
    for (const event of events) {
      for (const run of [...progress.runs.values()]) {
        const pinned = versions.get(versionKey(run.campaignId, run.campaignVersion));
        if (run.userId !== event.userId || run.status !== 'active' || !pinned) continue;
        this.applyEvent(run, pinned, event, now, progress, moves);
      }
    }
    for (const start of starts) this.start(start, now, progress, moves);
    await this.advance(manager, moves, now, progress);
    await this.write(manager, progress);
    return progress.decisions;
  }

  /** Moves on runs whose timer is due (claimed, with their users locked, by the caller). */
  async onDue(manager: EntityManager, due: JourneyRun[], now: Date): Promise<DecisionRecord[]> {
    const progress = newProgress(due);
    await this.advance(
      manager,
      due.map((run) => ({ run, cause: { kind: 'due' } })),
      now,
      progress,
    );
    await this.write(manager, progress);
    return progress.decisions;
  }

  /** One event against one active run: remembered (a status of its message), ending it (an exception), or awaited. */
  private applyEvent(
    run: JourneyRun,
    pinned: CompiledCampaign,
    event: EventEnvelope,
    now: Date,
    progress: Progress,
    moves: { run: JourneyRun; cause: JourneyCause }[],
  ): void {
    const latest = progress.runs.get(run.runId) ?? run;
    if (latest.status !== 'active') return;
    const effect = eventOnRun(latest, pinned, event, now);
    if (effect.remembered) {
      progress.runs.set(run.runId, effect.run);
      progress.changed.add(run.runId);
    }
    if (effect.cancelled) this.collect(effect.cancelled, progress, now);
    else if (effect.awaited) moves.push({ run: effect.run, cause: { kind: 'event', event } });
  }

  private start(start: JourneyStart, now: Date, progress: Progress, moves: { run: JourneyRun; cause: JourneyCause }[]): void {
    const { event, campaign } = start;
    const run = startRun(campaign, event, now);
    const refusal = runLimitRefusal(campaign, event.userId, progress.runs.values());
    if (refusal) {
      progress.decisions.push({ ...decisionBase(run, now), ...refusal, outcome: 'not_eligible', scheduledFor: null });
      return;
    }
    progress.runs.set(run.runId, run);
    progress.changed.add(run.runId);
    progress.touches.push({ userId: event.userId, campaignId: campaign.id, at: now });
    moves.push({ run, cause: { kind: 'due' } });
  }

  /** Runs the steps of each move, in order; a user's sends count against that user's later steps' caps. */
  private async advance(manager: EntityManager, moves: { run: JourneyRun; cause: JourneyCause }[], now: Date, progress: Progress) {
    if (moves.length === 0) return;
    const versions = await this.catalog.versions(moves.map(({ run }) => ({ id: run.campaignId, version: run.campaignVersion })));
    const userIds = moves.map(({ run }) => run.userId);
    const profiles = await loadProfiles(manager, userIds);
    const settings = this.settings.current();
    const caps = [...versions.values()].flatMap((c) => c.document.frequencyCaps ?? []);
    const ledgers = await capLedgers(manager, userIds, caps, profiles, settings, now);
    const optOuts = await loadUserSuppressions(manager, profiles.values(), profileAddresses);
    for (const { run, cause } of moves) {
      const latest = progress.runs.get(run.runId) ?? run;
      const pinned = versions.get(versionKey(run.campaignId, run.campaignVersion));
      if (!pinned) continue; // a version is never deleted; nothing to run on if it were
      if (cause.kind === 'event' && !awaitsEvent(latest, pinned, cause.event)) continue;
      const ledger = ledgers.get(run.userId) ?? [];
      ledgers.set(run.userId, ledger);
      const context = {
        pinned,
        current: this.catalog.get(run.campaignId),
        profile: profiles.get(run.userId) ?? null,
        settings,
        ledger,
        now,
        suppressions: optOuts.get(run.userId),
      };
      this.collect(await advanceRun(latest, context, cause), progress, now, profiles.get(run.userId) ?? null);
    }
  }

  private collect(result: JourneyStepResult, progress: Progress, now: Date, profile: Profile | null = null): void {
    const { run } = result;
    progress.runs.set(run.runId, run);
    progress.changed.add(run.runId);
    const base = decisionBase(run, now);
    for (const decision of result.decisions) progress.decisions.push({ ...base, ...decision });
    for (const send of result.sends) {
      const pending = { ...base, sendId: send.sendId, stepId: send.stepId, dueAt: now, triggerEvent: run.triggerEvent };
      progress.requests.push(sendRequestFor(pending, send.campaign, profile, send.channel, send.to, now));
      progress.sent.push({
        sendId: send.sendId,
        userId: run.userId,
        campaignId: run.campaignId,
        channel: send.channel,
        category: send.campaign.category,
        sentAt: now,
      });
    }
    for (const attribution of result.attributions) {
      progress.attributions.push({
        ...attribution,
        userId: run.userId,
        campaignId: run.campaignId,
        at: now,
        triggerProperties: run.triggerEvent.properties,
      });
    }
  }

  private async write(manager: EntityManager, progress: Progress): Promise<void> {
    // Kafka and Postgres side by side; the caller commits only when both are done.
    const published = this.producer.publish(
      this.topics.dispatch,
      progress.requests.map((request) => ({ key: request.userId, value: request })),
    );
    await Promise.all([published, this.writeRows(manager, progress)]);
  }

  private async writeRows(manager: EntityManager, progress: Progress): Promise<void> {
    await saveRuns(
      manager,
      [...progress.changed].map((runId) => progress.runs.get(runId) as JourneyRun),
    );
    await recordSends(manager, progress.sent);
    await recordAttributions(manager, progress.attributions);
    await touchCampaigns(manager, progress.touches);
  }
}

function newProgress(runs: JourneyRun[]): Progress {
  return {
    runs: new Map(runs.map((run) => [run.runId, run])),
    changed: new Set(),
    touches: [],
    decisions: [],
    requests: [],
    sent: [],
    attributions: [],
  };
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
