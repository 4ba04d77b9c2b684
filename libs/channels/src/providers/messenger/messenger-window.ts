import type { OutboundMessage } from '../../outbound-message';

/** Messenger's standard messaging window: a Page may answer freely for 24 h after the user last wrote. */
export const MESSENGER_WINDOW_HOURS = 24;

export const OUTSIDE_WINDOW_FOR_MARKETING = "outside Messenger's 24 h standard messaging window: marketing messages are not allowed";

/** How a message may go out on Messenger, or why it may not. */
export type MessengerSendPolicy =
  | { outcome: 'send'; messagingType: 'RESPONSE' }
  | { outcome: 'send'; messagingType: 'MESSAGE_TAG'; tag: 'ACCOUNT_UPDATE' }
  | { outcome: 'refused'; reason: string };

/**
 * Decides how Messenger lets `message` go out. Inside the window (the user wrote at most
 * 24 h before `now`) anything is a `RESPONSE`. Outside it, Messenger only takes tagged
 * non-promotional updates: a transactional message goes as `MESSAGE_TAG` `ACCOUNT_UPDATE`,
 * a marketing one is refused.
 */
export function messengerSendPolicy(message: Pick<OutboundMessage, 'category' | 'lastInboundAt' | 'now'>): MessengerSendPolicy {
  const { lastInboundAt, now, category } = message;
  const windowMs = MESSENGER_WINDOW_HOURS * 60 * 60 * 1000;
  if (lastInboundAt && now.getTime() - lastInboundAt.getTime() <= windowMs) return { outcome: 'send', messagingType: 'RESPONSE' };
  if (category === 'transactional') return { outcome: 'send', messagingType: 'MESSAGE_TAG', tag: 'ACCOUNT_UPDATE' };
  const lastWrote = lastInboundAt ? `the user last wrote at ${lastInboundAt.toISOString()}` : 'the user has never written';
  return { outcome: 'refused', reason: `${OUTSIDE_WINDOW_FOR_MARKETING} (${lastWrote})` };
}
