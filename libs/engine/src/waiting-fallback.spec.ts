import { deriveSendId, type EventEnvelope, type SendRequest } from '@nudge/contracts';
import { waitingFallbackOf } from './send-request';
import type { PendingSend } from './vocabulary';

const trigger: EventEnvelope = {
  eventId: 'e-1',
  userId: 'ana',
  name: 'offer_ready',
  timestamp: '2026-11-26T19:59:00.000Z',
  receivedAt: '2026-11-26T19:59:00.000Z',
  properties: {},
  context: {},
};

const send: PendingSend = {
  sendId: 'snd_main',
  userId: 'ana',
  campaignId: 'wa-offer',
  campaignVersion: 2,
  triggerEventId: 'e-1',
  stepId: 'main',
  dueAt: new Date('2026-11-26T19:59:00.000Z'),
  triggerEvent: trigger,
};

function aRequest(fallback?: SendRequest['fallback']): SendRequest {
  return {
    sendId: 'snd_main',
    campaignId: 'wa-offer',
    campaignVersion: 2,
    category: 'marketing',
    stepId: 'main',
    userId: 'ana',
    triggerEventId: 'e-1',
    decidedAt: '2026-11-26T19:59:00.000Z',
    channel: 'whatsapp',
    to: '+34600000001',
    message: { body: 'Hi' },
    ...(fallback ? { fallback } : {}),
    scope: { event: trigger, profile: {}, campaign: { id: 'wa-offer', version: 2 } },
  };
}

describe('waitingFallbackOf', () => {
  it('keeps the next step of a chain, waiting for dispatch: main>sms with its own send id', () => {
    const step = waitingFallbackOf(send, aRequest({ channels: ['sms', 'email'], after: 'PT3S' }));
    expect(step).toEqual({
      ...send,
      sendId: deriveSendId({ campaignId: 'wa-offer', triggerEventId: 'e-1', stepId: 'main>sms' }),
      stepId: 'main>sms',
      dueAt: new Date(0),
      fallback: { of: 'snd_main', from: 'whatsapp', channels: ['sms', 'email'], after: 'PT3S' },
    });
  });

  it('names the step after the chain, so a fallback of a fallback is main>sms>email', () => {
    const fromSms = { ...send, sendId: 'snd_sms', stepId: 'main>sms' };
    const step = waitingFallbackOf(fromSms, { ...aRequest({ channels: ['email'], after: 'PT3S' }), channel: 'sms', stepId: 'main>sms' });
    expect(step).toMatchObject({ stepId: 'main>sms>email', fallback: { of: 'snd_sms', from: 'sms', channels: ['email'] } });
  });

  it('keeps nothing for a send without a chain left', () => {
    expect(waitingFallbackOf(send, aRequest())).toBeUndefined();
  });
});
