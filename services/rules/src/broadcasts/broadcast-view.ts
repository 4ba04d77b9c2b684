import type { DecisionOutcome } from '@nudge/contracts';
import type { StoredBroadcast } from './broadcasts.store';

/** The outcomes a broadcast's send can have; each is shown, zero or not. */
export const BROADCAST_OUTCOMES = [
  'sent',
  'deferred_window',
  'dropped_window',
  'capped',
  'no_consent',
  'no_address',
] as const satisfies readonly DecisionOutcome[];

/** A broadcast as `GET /v1/broadcasts/{id}` answers it: the request, where the run is, and its counts. */
export function broadcastView(broadcast: StoredBroadcast) {
  const { document } = broadcast;
  return {
    id: broadcast.id,
    name: document.name,
    status: broadcast.status,
    category: document.category,
    sendAt: broadcast.sendAt.toISOString(),
    audience: document.audience,
    ...(document.timeWindow ? { timeWindow: document.timeWindow } : {}),
    ...(document.frequencyCaps ? { frequencyCaps: document.frequencyCaps } : {}),
    message: document.message,
    counts: { ...Object.fromEntries(BROADCAST_OUTCOMES.map((outcome) => [outcome, 0])), ...broadcast.counts },
    processed: broadcast.processed,
    audienceSize: broadcast.audienceSize,
    createdAt: broadcast.createdAt.toISOString(),
    startedAt: broadcast.startedAt?.toISOString() ?? null,
    finishedAt: broadcast.finishedAt?.toISOString() ?? null,
  };
}
