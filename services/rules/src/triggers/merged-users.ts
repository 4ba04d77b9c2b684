import { userMergeOf, type EventEnvelope, type UserMerge } from '@nudge/contracts';

/** The ids a batch must lock: its events' users and the previous ids its `user_merged` events merge. */
export function usersToLock(events: readonly EventEnvelope[]): string[] {
  const ids = new Set(events.map((e) => e.userId));
  for (const event of events) {
    const merge = userMergeOf(event);
    if (merge) ids.add(merge.previousId);
  }
  return [...ids].sort();
}

/** Most hops followed from a merged id to its known user (aliases are one hop; a batch may add one). */
const MAX_HOPS = 4;

/**
 * A batch's events with every event of a merged (previous) id keyed to its known user, and the
 * merges the batch carries, in order. `aliases` are the stored ones (previous id → known user);
 * the batch's own `user_merged` events count too, so an anonymous event decided in the same
 * batch as its merge, or before ingest's alias commits, already belongs to the known user.
 * A `user_merged` event itself keeps its user (the known one).
 */
export function resolveMergedUsers(
  events: readonly EventEnvelope[],
  aliases: ReadonlyMap<string, string>,
): { events: EventEnvelope[]; merges: UserMerge[] } {
  const merges = events.flatMap((e) => userMergeOf(e) ?? []);
  const known = new Map(aliases);
  for (const merge of merges) known.set(merge.previousId, merge.userId);
  const knownUserOf = (id: string): string => {
    let current = id;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const next = known.get(current);
      if (next === undefined || next === id) break;
      current = next;
    }
    return current;
  };
  const resolved = events.map((event) => {
    const userId = knownUserOf(event.userId);
    return userId === event.userId ? event : { ...event, userId };
  });
  return { events: resolved, merges: merges.map((m) => ({ previousId: m.previousId, userId: knownUserOf(m.userId) })) };
}
