import { fallbackDueEvent, fallbackSendId, type EventEnvelope, type FallbackDue } from '@nudge/contracts';
import { fallbackNewsOf } from './fallback-events';

const at = new Date('2026-11-26T20:00:05.000Z');

const due: FallbackDue = {
  messageId: 'm-1',
  sendId: 'snd_whatsapp',
  campaignId: 'wa-offer',
  campaignVersion: 1,
  triggerEventId: 'e-1',
  stepId: 'main',
  channel: 'whatsapp',
  status: 'delivered',
  after: 'PT3S',
  channels: ['sms'],
};

function messageEvent(name: string, properties: Record<string, unknown>): EventEnvelope {
  return { eventId: `${name}-1`, userId: 'ana', name, timestamp: at.toISOString(), receivedAt: at.toISOString(), properties, context: {} };
}

const step = fallbackSendId({ campaignId: 'wa-offer', triggerEventId: 'e-1', stepId: 'main' }, ['sms']);

describe('fallbackNewsOf', () => {
  it.each(['sent', 'delivered', 'failed', 'expired', 'unknown'] as const)('a fallback_due of a message %s makes its step due', (status) => {
    const news = fallbackNewsOf([fallbackDueEvent('ana', { ...due, status }, at)]);
    expect([...news.due]).toEqual([[step, status]]);
    expect(news.seen.size).toBe(0);
    expect(news.userIds).toEqual(['ana']);
  });

  it.each(['read', 'clicked', 'replied'] as const)('a fallback_due of a message %s only frees its step', (status) => {
    const news = fallbackNewsOf([fallbackDueEvent('ana', { ...due, status }, at)]);
    expect(news.due.size).toBe(0);
    expect([...news.seen]).toEqual([['snd_whatsapp', status]]);
  });

  it.each([
    ['message_read', 'read'],
    ['message_clicked', 'clicked'],
    ['message_replied', 'replied'],
  ])('%s cancels the fallback of the message it reports', (name, status) => {
    const news = fallbackNewsOf([messageEvent(name, { messageId: 'm-1', sendId: 'snd_whatsapp', campaignId: 'wa-offer' })]);
    expect([...news.seen]).toEqual([['snd_whatsapp', status]]);
  });

  it('ignores delivery receipts, other events, and a fallback_due not in dispatch shape', () => {
    const news = fallbackNewsOf([
      messageEvent('message_delivered', { sendId: 'snd_whatsapp' }),
      messageEvent('purchase', { sendId: 'snd_whatsapp' }),
      messageEvent('fallback_due', { sendId: 'snd_whatsapp' }),
      messageEvent('message_read', {}),
    ]);
    expect(news).toEqual({ due: new Map(), seen: new Map(), userIds: [] });
  });
});
