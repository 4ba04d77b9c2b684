import type { Channel } from '@nudge/contracts';

/** A chat a widget code bound on one channel (`bound`: its consent was recorded, not only claimed). */
export interface WidgetChatBinding {
  address: string;
  at: string;
  bound: boolean;
}

/** A widget code's row: whose it is, until when it binds, and the chats it bound per channel. */
export interface WidgetTokenRow {
  id: string;
  widgetId: string;
  userId: string;
  anonymous: boolean;
  expiresAt: Date;
  bindings: Partial<Record<Channel, WidgetChatBinding>>;
}

/**
 * What a chat presenting a code gets:
 * - `bind`: the code is live and binds no chat on this channel yet: claim it and record consent;
 * - `resume`: this chat claimed it before but its consent was not recorded (a publish failed, a
 *   crash): record it now, even past the expiry, as the claim was made in time;
 * - `already_bound`: this chat is bound with this code; nothing happens again;
 * - `taken`: another chat of this channel used the code (forwarded or leaked): refused;
 * - `expired` / `unknown` (no row: never made, purged, or its user erased): refused.
 */
export type WidgetBindingVerdict =
  | { outcome: 'bind' | 'resume' | 'already_bound'; row: WidgetTokenRow }
  | { outcome: 'taken' | 'expired'; row: WidgetTokenRow }
  | { outcome: 'unknown' };

/** Decides what a chat's code does, from its row as read under lock. */
export function decideWidgetBinding(row: WidgetTokenRow | null, channel: Channel, address: string, now: Date): WidgetBindingVerdict {
  if (row === null) return { outcome: 'unknown' };
  const binding = row.bindings[channel];
  if (binding !== undefined) {
    if (binding.address !== address) return { outcome: 'taken', row };
    return { outcome: binding.bound ? 'already_bound' : 'resume', row };
  }
  if (now.getTime() >= row.expiresAt.getTime()) return { outcome: 'expired', row };
  return { outcome: 'bind', row };
}
