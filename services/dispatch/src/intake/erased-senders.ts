import { belongsToErasedPast } from '@nudge/persistence';
import type { NewMessage } from '../messages/message';

/** The composed messages of a batch, split by the erasure markers of their users. */
export interface ErasureSplit {
  /** Stored and sent as usual. */
  kept: NewMessage[];
  /** Their users were erased after the request was made: recorded as dropped, never sent. */
  dropped: NewMessage[];
}

/**
 * Splits a batch by its users' erasures (`erasures`: user id → latest erasure time): a request
 * decided, or triggered by an event received, no later than the user's erasure is dropped; one
 * of a new sign-up under the same id since then is kept.
 */
export function splitByErasure(messages: NewMessage[], erasures: Map<string, Date>): ErasureSplit {
  const split: ErasureSplit = { kept: [], dropped: [] };
  for (const message of messages) {
    const { userId, decidedAt, scope } = message.request;
    const dropped = belongsToErasedPast(erasures.get(userId), { decidedAt, triggerReceivedAt: scope.event.receivedAt });
    (dropped ? split.dropped : split.kept).push(message);
  }
  return split;
}
