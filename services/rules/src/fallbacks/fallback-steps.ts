import type { MessageStatus } from '@nudge/contracts';
import type { PendingSend } from '@nudge/engine';
import { returnedRows } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
import { PENDING_SEND_COLUMNS, toPendingSend, type PendingSendRow } from '../state/pending-sends';

/**
 * Takes the waiting fallback steps with these send ids off the table (the caller's
 * transaction, its users locked) and returns them due `now`, with what dispatch saw: they
 * are decided at once. A step already woken, cancelled or never made is not returned.
 */
export async function wakeFallbacks(manager: EntityManager, observed: Map<string, MessageStatus>, now: Date): Promise<PendingSend[]> {
  if (observed.size === 0) return [];
  const rows = returnedRows<PendingSendRow>(
    await manager.query(
      `DELETE FROM pending_sends WHERE send_id = ANY($1::text[]) AND due_at IS NULL AND fallback IS NOT NULL RETURNING ${PENDING_SEND_COLUMNS}`,
      [[...observed.keys()]],
    ),
  );
  return rows.map(toPendingSend).flatMap((send) => {
    const status = observed.get(send.sendId);
    return send.fallback && status ? [{ ...send, dueAt: now, fallback: { ...send.fallback, observed: status } }] : [];
  });
}

/**
 * Removes the fallback steps of messages the recipient saw (read, clicked, replied), waiting
 * or deferred; returns them.
 */
export async function cancelFallbacksOf(manager: EntityManager, userIds: string[], seenSendIds: string[]): Promise<PendingSend[]> {
  if (seenSendIds.length === 0) return [];
  const rows = returnedRows<PendingSendRow>(
    await manager.query(
      `DELETE FROM pending_sends WHERE user_id = ANY($1::text[]) AND fallback->>'of' = ANY($2::text[]) RETURNING ${PENDING_SEND_COLUMNS}`,
      [[...new Set(userIds)], [...new Set(seenSendIds)]],
    ),
  );
  return rows.map(toPendingSend);
}
