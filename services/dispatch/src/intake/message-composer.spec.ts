import type { SendRequest } from '@nudge/contracts';
import { MessageComposer } from './message-composer';

function aSendRequest(overrides: { body?: string; channel?: SendRequest['channel'] } = {}): SendRequest {
  const at = '2026-11-23T10:00:00.000Z';
  return {
    sendId: 'snd_1',
    campaignId: 'cart-abandon-sms',
    campaignVersion: 1,
    category: 'marketing',
    stepId: 'main',
    userId: 'u1',
    triggerEventId: 'e1',
    decidedAt: at,
    channel: overrides.channel ?? 'sms',
    to: '+34600000001',
    message: {
      sender: 'ACME',
      body: overrides.body ?? 'Hi {{ profile.attributes.firstName }}, your cart of {{ event.properties.cartValue }} € is waiting',
    },
    scope: {
      event: {
        eventId: 'e1',
        userId: 'u1',
        name: 'cart_abandoned',
        timestamp: at,
        receivedAt: at,
        properties: { cartValue: 129.9 },
        context: {},
      },
      profile: { userId: 'u1', attributes: { firstName: 'Ana' } },
      campaign: { id: 'cart-abandon-sms', version: 1 },
    },
  };
}

describe('MessageComposer', () => {
  const composer = new MessageComposer();

  it('personalises the body and counts SMS segments', async () => {
    const { message, missingVariables } = await composer.compose(aSendRequest(), 'sandbox');
    expect(message).toMatchObject({
      body: 'Hi Ana, your cart of 129.9 € is waiting',
      segments: 1,
      status: 'queued',
      provider: 'sandbox',
      failureReason: null,
    });
    expect(missingVariables).toEqual([]);
  });

  it('renders a missing variable empty and names it', async () => {
    const { message, missingVariables } = await composer.compose(
      aSendRequest({ body: 'Hi {{ profile.attributes.lastName }}!' }),
      'sandbox',
    );
    expect(message.body).toBe('Hi !');
    expect(missingVariables).toEqual(['profile.attributes.lastName']);
  });

  it('counts segments only for SMS', async () => {
    const { message } = await composer.compose(aSendRequest({ channel: 'whatsapp' }), 'sandbox');
    expect(message.segments).toBeNull();
  });

  it('a template that does not parse makes a failed message with the reason', async () => {
    const { message } = await composer.compose(aSendRequest({ body: 'Hi {{ profile | nope }}' }), 'sandbox');
    expect(message.status).toBe('failed');
    expect(message.body).toBeNull();
    expect(message.failureReason).toMatch(/^template error: .*nope/);
  });

  it('gives every message its own id', async () => {
    const [first, second] = await Promise.all([composer.compose(aSendRequest(), 'sandbox'), composer.compose(aSendRequest(), 'sandbox')]);
    expect(first.message.id).not.toBe(second.message.id);
  });
});
