import { deliveryUpdateOf, messageEventOf, type StatusChange } from './status-change';

const message: StatusChange['message'] = {
  id: '6f1c1c8e-58a4-4a43-a0f5-0a4f3c6b7d11',
  sendId: 'snd_1',
  userId: 'u1',
  campaignId: 'cart-abandon-sms',
  stepId: 'main',
  channel: 'sms',
  provider: 'sandbox',
};
const at = '2026-11-23T10:30:00.000Z';

describe('status change records', () => {
  it('a delivery becomes message_delivered with an id that dedups a re-publish', () => {
    const event = messageEventOf({ message, status: 'delivered', at });
    expect(event).toEqual({
      eventId: `${message.id}:delivered`,
      userId: 'u1',
      name: 'message_delivered',
      timestamp: at,
      receivedAt: at,
      properties: { messageId: message.id, campaignId: 'cart-abandon-sms', channel: 'sms', sendId: 'snd_1', stepId: 'main' },
      context: { source: 'dispatch' },
    });
  });

  it('a failure carries its reason in the event and the delivery update', () => {
    const change: StatusChange = { message, status: 'failed', at, reason: 'invalid number' };
    expect(messageEventOf(change)?.properties).toMatchObject({ reason: 'invalid number' });
    expect(deliveryUpdateOf(change)).toEqual({
      messageId: message.id,
      sendId: 'snd_1',
      userId: 'u1',
      campaignId: 'cart-abandon-sms',
      channel: 'sms',
      provider: 'sandbox',
      status: 'failed',
      at,
      reason: 'invalid number',
    });
  });

  it('expired has a delivery update but no message event', () => {
    expect(messageEventOf({ message, status: 'expired', at })).toBeNull();
    expect(deliveryUpdateOf({ message, status: 'expired', at }).status).toBe('expired');
  });
});

describe('a reply event', () => {
  it('carries the text and an id of its own, so every reply is an event', () => {
    const event = messageEventOf({
      message,
      status: 'replied',
      at,
      event: { id: `${message.id}:replied:41`, properties: { text: 'thanks!' } },
    });
    expect(event).toMatchObject({
      eventId: `${message.id}:replied:41`,
      name: 'message_replied',
      properties: { messageId: message.id, campaignId: 'cart-abandon-sms', channel: 'sms', text: 'thanks!' },
    });
  });
});
