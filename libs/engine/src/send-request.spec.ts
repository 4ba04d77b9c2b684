import { aCampaign } from '@nudge/campaigns/testing';
import { sendRequestSchema } from '@nudge/contracts';
import type { PendingSend } from './vocabulary';
import { sendRequestFor } from './send-request';

const now = new Date('2026-11-23T10:00:00.000Z');
const send: PendingSend = {
  sendId: 'snd_1',
  userId: 'ana',
  campaignId: 'cart-abandon-sms',
  campaignVersion: 1,
  triggerEventId: 'e1',
  stepId: 'main',
  dueAt: now,
  triggerEvent: {
    eventId: 'e1',
    userId: 'ana',
    name: 'cart_abandoned',
    timestamp: now.toISOString(),
    receivedAt: now.toISOString(),
    properties: { cartValue: 150 },
    context: {},
  },
};

describe('sendRequestFor', () => {
  it("carries the campaign's expireAfter to dispatch", () => {
    const campaign = aCampaign().withMessage({ expireAfter: 'PT6H' }).compile(1);
    const request = sendRequestFor(send, campaign, null, 'sms', '+34600000001', now);
    expect(request.message.expireAfter).toBe('PT6H');
    expect(sendRequestSchema.safeParse(request).success).toBe(true);
  });

  it('carries no expireAfter for a campaign without one', () => {
    const request = sendRequestFor(send, aCampaign().compile(1), null, 'sms', '+34600000001', now);
    expect(request.message).not.toHaveProperty('expireAfter');
  });
});
