import type { MessageStatus } from '@nudge/contracts';
import { effects, type Effects } from './effects';
import type { PendingSend } from './vocabulary';

/**
 * Fallback steps taken off the timers because their message was seen (`seen`: send id → status):
 * a step already decided and deferred gets `cancelled_exception`; a step still waiting for
 * dispatch's word was never decided, and a read is the normal end of a chain, not news. The
 * steps dispatch reported unread are due now and decided by `planDue` like any send.
 */
export function planFallback(cancelled: readonly PendingSend[], seen: ReadonlyMap<string, MessageStatus>, now: Date): Effects {
  return effects({
    decisions: cancelled.flatMap((step) => {
      if (!step.fallback?.observed) return [];
      const status = seen.get(step.fallback.of) ?? 'read';
      return [
        {
          userId: step.userId,
          campaignId: step.campaignId,
          campaignVersion: step.campaignVersion,
          triggerEventId: step.triggerEventId,
          stepId: step.stepId,
          outcome: 'cancelled_exception' as const,
          reason: `the ${step.fallback.from} message was ${status} before its fallback was sent`,
          at: now,
          scheduledFor: null,
        },
      ];
    }),
  });
}
