import { Inject, Injectable } from '@nestjs/common';
import { userMergeOf, type EventEnvelope, type Profile } from '@nudge/contracts';
import { isOptInRequest, type ExceptionEvent } from '@nudge/decisions';
import { mergeEffects, NO_EFFECTS, planExceptions, planTriggers, type ExceptionState, type TriggerPlan } from '@nudge/engine';
import {
  ErasureSalt,
  erasuresOf,
  eventsAfterErasure,
  inTransaction,
  loadProfiles,
  mergeUserState,
  userLocksQuery,
} from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource, EntityManager } from 'typeorm';
import { CampaignCatalog } from '../campaigns/campaign-catalog.service';
import { CLOCK } from '../clock';
import { ConversionTracking } from '../conversions/conversion-tracking';
import { OptInConfirmations } from '../double-opt-in/opt-in-confirmations';
import { EffectsWriter } from '../effects/effects-writer';
import { FallbackSteps } from '../fallbacks/fallback-steps.service';
import { JourneyProgress } from '../journeys/journey-progress.service';
import { lastTouches } from '../state/campaign-touches';
import { pendingSendsOf } from '../state/pending-sends';
import { SendFiring } from '../timers/send-firing.service';
import { exceptionEventsSince, storeExceptionEvents } from './exception-events';
import { resolveMergedUsers, usersToLock } from './merged-users';

/**
 * Turns a batch of events into decisions. An event may convert a send, cancel pending sends
 * (it is one of their campaigns' exceptions), wake or cancel a fallback step, move journey runs
 * on, and trigger campaigns; eligible sends become durable timers, or are fired at once when
 * due. One transaction per batch, with the batch's users locked, so an event is evaluated once
 * even when Kafka redelivers it: the loaders read, the engine plans, the EffectsWriter writes
 * all of it once.
 */
@Injectable()
export class TriggerEvaluation {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalog: CampaignCatalog,
    private readonly writer: EffectsWriter,
    private readonly firing: SendFiring,
    private readonly conversions: ConversionTracking,
    private readonly journeys: JourneyProgress,
    private readonly erasureSalt: ErasureSalt,
    private readonly optIns: OptInConfirmations,
    private readonly fallbacks: FallbackSteps,
  ) {}

  async evaluate(events: EventEnvelope[]): Promise<void> {
    const index = this.catalog.index;
    const relevant = uniqueById(events.filter((e) => index.isRelevantEvent(e) || isOptInRequest(e) || userMergeOf(e) !== null));
    if (relevant.length === 0) return;
    const salt = await this.erasureSalt.get();
    const effects = await inTransaction(this.dataSource, async (manager) => {
      // The users' locks before any row (the lock order of `lockUsers`): the timer poller and
      // journey poller take the same locks before they claim these users' timers. An event of a
      // merged anonymous id is the known user's (locked too).
      const processed = await lockAndMarkProcessed(manager, relevant);
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
      // An alias: the previous id's timers, runs, touches and ledgers become the known user's
      // before anything else of the batch is decided (under both users' locks, held above).
      for (const merge of fresh.flatMap((e) => userMergeOf(e) ?? [])) await mergeUserState(manager, { ...merge, at: now.toISOString() });
      const conversions = await this.conversions.plan(manager, fresh);
      const exceptions = planExceptions(await this.exceptionState(manager, fresh), fresh, now);
      const triggers = await this.planTriggers(manager, fresh, now);
      // Fallback chains: dispatch's word wakes a fallback step (fired below, like any due
      // send); a message seen cancels its fallback.
      const fallbacks = await this.fallbacks.onEvents(manager, fresh, now, exceptions.cancel);
      const decided = mergeEffects(
        conversions,
        exceptions,
        triggers.effects,
        fallbacks.effects,
        // Journeys: runs remember their messages' statuses, end on exceptions, move on awaited
        // events; new runs start and take their first steps now.
        await this.journeys.onEvents(manager, fresh, triggers.starts, now),
        // Double opt-in: a marketing consent set to "pending" gets its confirmation message.
        await this.optIns.plan(manager, fresh.filter(isOptInRequest), now),
      );
      // A send already due is fired in this transaction, under the same locks: no timer
      // row, no second transaction, no wait for the poller. The journeys' sends of this batch
      // count against its caps.
      const fired = await this.firing.plan(manager, [...triggers.dueNow, ...fallbacks.due], now, {
        profiles: triggers.profiles,
        planned: decided.ledger,
      });
      const all = mergeEffects(decided, fired);
      await this.writer.write(manager, all);
      return all;
    });
    this.writer.committed(effects);
  }

  /** Exception events are kept for late triggers; the pending sends they may cancel are loaded. */
  private async exceptionState(manager: EntityManager, events: EventEnvelope[]): Promise<ExceptionState> {
    const exceptions = events.filter((e) => this.catalog.index.forException(e.name).length > 0);
    if (exceptions.length === 0) return { campaigns: this.catalog.index, pending: [] };
    await storeExceptionEvents(manager, exceptions);
    const campaignIds = exceptions.flatMap((e) => this.catalog.index.forException(e.name).map((c) => c.id));
    const pending = await pendingSendsOf(
      manager,
      exceptions.map((e) => e.userId),
      campaignIds,
    );
    return { campaigns: this.catalog.index, pending };
  }

  /** The triggers' plan, with the triggering users' profiles read under the batch's locks (sends due now are decided on them). */
  private async planTriggers(
    manager: EntityManager,
    events: EventEnvelope[],
    now: Date,
  ): Promise<TriggerPlan & { profiles: Map<string, Profile> }> {
    const triggering = events.filter((e) => this.catalog.index.forTrigger(e.name).length > 0);
    if (triggering.length === 0) return { effects: NO_EFFECTS, dueNow: [], starts: [], profiles: new Map() };
    const userIds = triggering.map((e) => e.userId);
    const profiles = await loadProfiles(manager, userIds);
    const touches = await lastTouches(manager, userIds);
    const knownExceptions = await this.knownExceptions(manager, triggering);
    const plan = await planTriggers({ campaigns: this.catalog.index, profiles, touches, knownExceptions }, triggering, now);
    return { ...plan, profiles };
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

/**
 * Locks the events' users (`lockUsers`' query, in its order) and then records the events as
 * processed, in one statement: the insert waits for every lock (gated on the locking CTE, which
 * calls a volatile function and so runs once, first). Returns the events not processed before
 * (Kafka redelivers). The statement's snapshot is older than the locks, but ON CONFLICT checks
 * against committed rows, not the snapshot: an event a transaction that held the user recorded
 * meanwhile is a conflict, and not returned. One round trip instead of two.
 *
 * The same statement looks up which of the users are merged anonymous ids (`user_aliases`) and
 * locks their known users too: the returned events are keyed to their known users
 * (`resolveMergedUsers`), and a `user_merged` event's previous id is locked with its known user.
 * An alias committed while the statement waits for a lock is not seen (the snapshot is older):
 * such an event is decided under the anonymous id — the README's "in flight" gap.
 */
async function lockAndMarkProcessed(manager: EntityManager, events: EventEnvelope[]): Promise<EventEnvelope[]> {
  const rows: { event_id: string | null; previous_id: string | null; user_id: string | null }[] = await manager.query(
    `WITH aliases AS (SELECT previous_id, user_id FROM user_aliases WHERE previous_id = ANY($1::text[])),
     locks AS (${userLocksQuery('ARRAY(SELECT unnest($1::text[]) UNION SELECT user_id FROM aliases)')}),
     fresh AS (
       INSERT INTO processed_events (event_id) SELECT unnest($2::text[]) WHERE (SELECT count(*) FROM locks) >= 0
       ON CONFLICT DO NOTHING RETURNING event_id
     )
     SELECT event_id, NULL AS previous_id, NULL AS user_id FROM fresh
     UNION ALL SELECT NULL, previous_id, user_id FROM aliases`,
    [usersToLock(events), events.map((e) => e.eventId)],
  );
  const fresh = new Set(rows.flatMap((r) => r.event_id ?? []));
  const aliases = new Map(rows.flatMap((r) => (r.previous_id !== null && r.user_id !== null ? [[r.previous_id, r.user_id] as const] : [])));
  return resolveMergedUsers(
    events.filter((e) => fresh.has(e.eventId)),
    aliases,
  ).events;
}

function uniqueById(events: EventEnvelope[]): EventEnvelope[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
}
