import { addIsoDuration, isIsoDuration } from '@nudge/timing';
import type { ClaimedMessage } from '../messages/message.store';

/**
 * The message's `expireAfter` (its campaign's, ISO-8601) when it has passed at `now`,
 * counted from when rules decided the send: such a message is `expired`, never sent late.
 * Undefined when the message has none (or one that is no duration) or it has not passed.
 */
export function passedExpiry(message: Pick<ClaimedMessage, 'decidedAt' | 'expireAfter'>, now: Date): string | undefined {
  const { expireAfter, decidedAt } = message;
  if (expireAfter === null || !isIsoDuration(expireAfter)) return undefined;
  const decided = new Date(decidedAt);
  if (Number.isNaN(decided.getTime())) return undefined;
  return addIsoDuration(decided, expireAfter) <= now ? expireAfter : undefined;
}
