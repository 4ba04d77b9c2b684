import { fallbackDuePropertiesSchema, fallbackSendId, type SendRequest } from '@nudge/contracts';
import { fallbackObservation } from './fallback-observation';

const now = new Date('2026-12-03T20:00:05.000Z');

const request: SendRequest = {
  sendId: 'snd_first',
  campaignId: 'cart',
  campaignVersion: 3,
  category: 'marketing',
  stepId: 'main',
  userId: 'ana',
  triggerEventId: 'e-1',
  decidedAt: '2026-12-03T19:59:00.000Z',
  channel: 'whatsapp',
  to: '+34600000001',
  message: { body: 'Hi' },
  fallback: { channels: ['sms', 'email'], after: 'PT3S' },
  scope: {
    event: {
      eventId: 'e-1',
      userId: 'ana',
      name: 'cart',
      timestamp: now.toISOString(),
      receivedAt: now.toISOString(),
      properties: {},
      context: {},
    },
    profile: {},
    campaign: { id: 'cart', version: 3 },
  },
};

describe('fallbackObservation', () => {
  it.each(['sent', 'delivered', 'failed', 'expired', 'unknown', 'read', 'clicked', 'replied'] as const)(
    'reports a message %s to rules, deciding nothing',
    (status) => {
      const event = fallbackObservation({ messageId: 'm-1', status, request }, now);
      expect(event).toMatchObject({
        eventId: 'm-1:fallback_due',
        userId: 'ana',
        name: 'fallback_due',
        timestamp: now.toISOString(),
        properties: {
          messageId: 'm-1',
          sendId: 'snd_first',
          campaignId: 'cart',
          campaignVersion: 3,
          triggerEventId: 'e-1',
          stepId: 'main',
          channel: 'whatsapp',
          status,
          after: 'PT3S',
          channels: ['sms', 'email'],
        },
      });
      // What rules reads back, under the contract's schema.
      expect(fallbackDuePropertiesSchema.safeParse(event?.properties).success).toBe(true);
    },
  );

  it('names the fallback step rules keeps: main>sms, with its derived send id', () => {
    const event = fallbackObservation({ messageId: 'm-1', status: 'delivered', request }, now);
    const due = fallbackDuePropertiesSchema.parse(event?.properties);
    expect(fallbackSendId(due, due.channels)).toBe(fallbackSendId({ campaignId: 'cart', triggerEventId: 'e-1', stepId: 'main' }, ['sms']));
  });

  it('says nothing for a message sent without a chain', () => {
    const { fallback: _none, ...single } = request;
    expect(fallbackObservation({ messageId: 'm-1', status: 'delivered', request: single }, now)).toBeNull();
  });
});
