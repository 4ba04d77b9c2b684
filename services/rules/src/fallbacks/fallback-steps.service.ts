import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@nudge/contracts';
import { planFallback, type Effects, type PendingSend } from '@nudge/engine';
import type { EntityManager } from 'typeorm';
import { fallbackNewsOf } from './fallback-events';
import { cancelFallbacksOf, wakeFallbacks } from './fallback-steps';

/** What a batch of events did to fallback steps: some are due now, some were cancelled. */
export interface FallbackMoves {
  /** Steps dispatch reported unread: to be decided now, like any due send (`planDue`). */
  due: PendingSend[];
  /** `cancelled_exception` for each deferred fallback whose message was seen before it fired. */
  effects: Effects;
}

/**
 * Fallback chains, decided by rules (README "Fallbacks obey the same rules"): dispatch only
 * observes. Its `fallback_due` wakes the message's waiting fallback step, which the caller
 * then fires through SendFiring like any due send; a message read, clicked or replied to
 * cancels its fallback, waiting or deferred (`planFallback`). Runs inside trigger evaluation's
 * transaction, with the batch's users locked: the steps are taken off the timers here.
 */
@Injectable()
export class FallbackSteps {
  /** `cancelled`: send ids an exception of the same batch cancelled first; they are gone. */
  async onEvents(
    manager: EntityManager,
    events: readonly EventEnvelope[],
    now: Date,
    cancelled: readonly string[] = [],
  ): Promise<FallbackMoves> {
    const news = fallbackNewsOf(events);
    const gone = new Set(cancelled);
    // Cancellations first: a read in the same batch as its fallback_due wins.
    const seen = (await cancelFallbacksOf(manager, news.userIds, [...news.seen.keys()])).filter((s) => !gone.has(s.sendId));
    const due = (await wakeFallbacks(manager, news.due, now)).filter((s) => !gone.has(s.sendId));
    return { due, effects: planFallback(seen, news.seen, now) };
  }
}
