import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@nudge/contracts';
import type { EntityManager } from 'typeorm';
import type { DecisionRecord } from '../decisions/decision-log';
import type { PendingSend } from '../timers/pending-sends';
import { fallbackNewsOf } from './fallback-events';
import { cancelFallbacksOf, wakeFallbacks } from './fallback-steps';

/** What a batch of events did to fallback steps: some are due now, some were cancelled. */
export interface FallbackMoves {
  /** Steps dispatch reported unread: to be decided now, like any due send. */
  due: PendingSend[];
  /** `cancelled_exception` for each deferred fallback whose message was seen before it fired. */
  decisions: DecisionRecord[];
}

/**
 * Fallback chains, decided by rules (README "Fallbacks obey the same rules"): dispatch only
 * observes. Its `fallback_due` wakes the message's waiting fallback step, which the caller
 * then fires through SendFiring like any due send; a message read, clicked or replied to
 * cancels its fallback, waiting or deferred. Runs inside trigger evaluation's transaction,
 * with the batch's users locked.
 */
@Injectable()
export class FallbackSteps {
  async onEvents(manager: EntityManager, events: readonly EventEnvelope[], now: Date): Promise<FallbackMoves> {
    const news = fallbackNewsOf(events);
    // Cancellations first: a read in the same batch as its fallback_due wins.
    const cancelled = await cancelFallbacksOf(manager, news.userIds, [...news.seen.keys()]);
    const due = await wakeFallbacks(manager, news.due, now);
    const decisions = cancelled.flatMap((step): DecisionRecord[] => {
      // A step still waiting was never decided: the read is the normal end of a chain, not news.
      if (!step.fallback?.observed) return [];
      const status = news.seen.get(step.fallback.of) ?? 'read';
      return [
        {
          userId: step.userId,
          campaignId: step.campaignId,
          campaignVersion: step.campaignVersion,
          triggerEventId: step.triggerEventId,
          stepId: step.stepId,
          outcome: 'cancelled_exception',
          reason: `the ${step.fallback.from} message was ${status} before its fallback was sent`,
          at: now,
          scheduledFor: null,
        },
      ];
    });
    return { due, decisions };
  }
}
