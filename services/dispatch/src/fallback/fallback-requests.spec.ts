import { deriveSendId, emptyProfile, type Profile, type SendRequest } from '@nudge/contracts';
import { decideFallback } from './fallback-requests';

const now = new Date('2026-11-24T12:00:00.000Z');

const request: SendRequest = {
  sendId: 'snd_first',
  campaignId: 'cart',
  campaignVersion: 1,
  category: 'marketing',
  stepId: 'main',
  userId: 'ana',
  triggerEventId: 'e-1',
  decidedAt: '2026-11-24T10:00:00.000Z',
  channel: 'whatsapp',
  to: '+34600000001',
  message: { body: 'Hi' },
  fallback: { channels: ['sms', 'email'], after: 'PT2H' },
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
    campaign: { id: 'cart', version: 1 },
  },
};

function aProfile(channels: Profile['channels']): Profile {
  return { ...emptyProfile('ana', now.toISOString()), channels };
}

const reachable = aProfile({
  sms: { address: '+34600000001', consent: { marketing: true } },
  email: { address: 'ana@example.com', consent: { marketing: true } },
});

describe('decideFallback', () => {
  it.each(['read', 'clicked', 'replied'])('does nothing for a message that was %s', (status) => {
    expect(decideFallback({ messageId: 'm', status, request }, reachable, now).action).toBe('none');
  });

  it.each(['sent', 'delivered', 'failed', 'expired'])('falls back to the next channel for a message that was only %s', (status) => {
    const verdict = decideFallback({ messageId: 'm', status, request }, reachable, now);
    expect(verdict).toMatchObject({
      action: 'send',
      request: {
        channel: 'sms',
        to: '+34600000001',
        stepId: 'main>sms',
        sendId: deriveSendId({ campaignId: 'cart', triggerEventId: 'e-1', stepId: 'main>sms' }),
        fallback: { channels: ['email'], after: 'PT2H' },
        decidedAt: now.toISOString(),
      },
    });
  });

  it('skips a channel the user can no longer receive, and drops the chain at its end', () => {
    const smsWithdrawn = aProfile({
      sms: { address: '+34600000001', consent: { marketing: false } },
      email: { address: 'ana@example.com', consent: { marketing: true } },
    });
    const verdict = decideFallback({ messageId: 'm', status: 'delivered', request }, smsWithdrawn, now);
    expect(verdict).toMatchObject({ action: 'send', request: { channel: 'email', to: 'ana@example.com' } });
    expect(verdict.action === 'send' && 'fallback' in verdict.request).toBe(false);
  });

  it('says why when no remaining channel can be used', () => {
    const verdict = decideFallback({ messageId: 'm', status: 'delivered', request }, aProfile({}), now);
    expect(verdict).toMatchObject({ action: 'none', reason: expect.stringContaining('no address') });
  });

  it('skips a channel whose address opted out (a STOP from the number), as a channel without consent', () => {
    const stopped = {
      channel: 'sms' as const,
      address: '+34600000001',
      suppressed: true,
      keyword: 'STOP',
      source: 'inbound:sandbox',
      changedAt: '2026-11-24T11:00:00.000Z',
    };
    const verdict = decideFallback({ messageId: 'm', status: 'delivered', request }, reachable, now, new Map([['sms', stopped]]));
    expect(verdict).toMatchObject({ action: 'send', request: { channel: 'email', to: 'ana@example.com' } });
  });
});
