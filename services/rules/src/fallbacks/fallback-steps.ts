import { fallbackStepId, deriveSendId, type MessageStatus, type SendRequest } from '@nudge/contracts';
import { returnedRows } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
import { PENDING_SEND_COLUMNS, toPendingSend, type PendingSend, type PendingSendRow } from '../timers/pending-sends';

/**
 * The fallback step of a send decided with a chain (`request.fallback`): a pending send of its
 * own (`main>sms`, its own send id), kept with the timers but with no due time until dispatch
 * reports the message unread (`fallback_due`). Undefined for a send with no chain left.
 */
export function waitingFallbackOf(send: PendingSend, request: SendRequest): PendingSend | undefined {
  const chain = request.fallback;
  if (!chain) return undefined;
  const stepId = fallbackStepId(send.stepId, chain.channels);
  return {
    sendId: deriveSendId({ campaignId: send.campaignId, triggerEventId: send.triggerEventId, stepId }),
    userId: send.userId,
    campaignId: send.campaignId,
    campaignVersion: request.campaignVersion,
    triggerEventId: send.triggerEventId,
    stepId,
    dueAt: new Date(0),
    triggerEvent: send.triggerEvent,
    fallback: { of: send.sendId, from: request.channel, channels: [...chain.channels], after: chain.after },
  };
}

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
