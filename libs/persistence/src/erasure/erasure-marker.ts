/** When a send request was made: its decision, and the receipt of the event that triggered it. */
export interface SendRequestTimes {
  decidedAt: string;
  /** `scope.event.receivedAt` of the request. */
  triggerReceivedAt: string;
}

/**
 * Whether a send request belongs to the user's erased past and must be dropped: the user was
 * erased (`erasedAt`) no earlier than the request was decided or its trigger event received.
 * A request decided after the erasure on an event received after it belongs to a new sign-up
 * under the same user id, and is sent.
 */
export function belongsToErasedPast(erasedAt: Date | undefined, request: SendRequestTimes): boolean {
  if (!erasedAt) return false;
  const madeAt = Math.min(Date.parse(request.decidedAt), Date.parse(request.triggerReceivedAt));
  // An unreadable time cannot prove the request is newer than the erasure.
  return Number.isNaN(madeAt) || madeAt <= erasedAt.getTime();
}

/**
 * The events that are not of an erased user's past: those of users never erased, and those
 * received after their user's latest erasure (`erasures`: user id → erasure time).
 */
export function eventsAfterErasure<E extends { userId: string; receivedAt: string }>(events: E[], erasures: Map<string, Date>): E[] {
  return events.filter(
    (event) => !belongsToErasedPast(erasures.get(event.userId), { decidedAt: event.receivedAt, triggerReceivedAt: event.receivedAt }),
  );
}
