import type { OutboundMessage } from '../outbound-message';

/**
 * The message adapter specs send unless a test says otherwise: a marketing cart reminder,
 * first attempt, at a fixed time, on the spec's channel to its recipient, with `fields`
 * over these defaults. One definition instead of a copy in every adapter spec.
 */
export function aCartReminder(fields: Pick<OutboundMessage, 'channel' | 'to'> & Partial<OutboundMessage>): OutboundMessage {
  return {
    messageId: 'm-1',
    body: 'Your cart is waiting',
    attempt: 1,
    category: 'marketing',
    campaignId: 'cart-abandon',
    now: new Date('2026-11-24T10:00:00Z'),
    ...fields,
  };
}
