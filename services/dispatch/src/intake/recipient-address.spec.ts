import type { SendRequest } from '@nudge/contracts';
import { recipientAddress } from './recipient-address';

function aRequest(channel: SendRequest['channel'], to: string, country?: string): SendRequest {
  const at = '2026-11-23T10:00:00.000Z';
  return {
    sendId: 'snd_1',
    campaignId: 'c1',
    campaignVersion: 1,
    category: 'marketing',
    stepId: 'main',
    userId: 'u1',
    triggerEventId: 'e1',
    decidedAt: at,
    channel,
    to,
    message: { body: 'Hi' },
    scope: {
      event: { eventId: 'e1', userId: 'u1', name: 'x', timestamp: at, receivedAt: at, properties: {}, context: {} },
      profile: { userId: 'u1', ...(country === undefined ? {} : { country }) },
      campaign: { id: 'c1', version: 1 },
    },
  };
}

describe('recipientAddress', () => {
  it.each([
    ['an SMS number is put in E.164', 'sms', '+34 600 00 00 01', undefined, 'twilio', '+34600000001'],
    [
      'a WhatsApp number without country code is read in the profile country',
      'whatsapp',
      '600000001',
      'ES',
      'whatsapp-cloud',
      '+34600000001',
    ],
    ['RCS numbers too', 'rcs', '06 00 00 00 01', 'FR', 'sandbox', '+33600000001'],
    ['a sandbox test suffix survives', 'sms', '+34 600000013#fail', undefined, 'sandbox', '+34600000013#fail'],
    ['so does a retry suffix', 'sms', '+34600000011#retry-2', undefined, 'sandbox', '+34600000011#retry-2'],
    ['Viber ids are left as they are', 'viber', 'abc123==', undefined, 'viber', 'abc123=='],
    ['e-mail addresses too', 'email', 'Ana@Example.com', undefined, 'smtp', 'Ana@Example.com'],
  ] as const)('%s', (_behaviour, channel, to, country, provider, address) => {
    expect(recipientAddress(aRequest(channel, to, country), provider)).toEqual({ ok: true, address });
  });

  it('an invalid number is refused with the reason', () => {
    expect(recipientAddress(aRequest('sms', '12345', 'ES'), 'twilio')).toEqual({
      ok: false,
      reason: 'invalid phone number "12345": not a valid number (read in ES)',
    });
  });

  it('a test suffix means nothing to a real provider', () => {
    expect(recipientAddress(aRequest('sms', '+34600000013#fail'), 'twilio').ok).toBe(false);
  });
});
