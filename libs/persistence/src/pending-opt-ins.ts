import type { Channel } from '@nudge/contracts';
import type { EntityManager } from 'typeorm';

/** An address a double opt-in confirmation was sent to, waiting for its YES. */
export interface PendingOptIn {
  userId: string;
  channel: Channel;
  /** Keyed as suppressions key addresses (`suppressionAddress`): E.164 numbers, lower-cased e-mail. */
  address: string;
  requestedAt: string;
  /** The `consent_requested` event the confirmation answered. */
  requestEventId: string;
}

/** The users asked to confirm at this address on this channel (whose consent may since have changed: check it). */
export async function pendingOptInsAt(manager: EntityManager, channel: Channel, address: string): Promise<string[]> {
  const rows: { user_id: string }[] = await manager.query(
    'SELECT user_id FROM pending_opt_ins WHERE channel = $1 AND address = $2 ORDER BY user_id',
    [channel, address],
  );
  return rows.map((r) => r.user_id);
}

/** Forgets the user's request on the channel once it is confirmed (or no longer pending). */
export async function removePendingOptIn(manager: EntityManager, userId: string, channel: Channel): Promise<void> {
  await manager.query('DELETE FROM pending_opt_ins WHERE user_id = $1 AND channel = $2', [userId, channel]);
}
