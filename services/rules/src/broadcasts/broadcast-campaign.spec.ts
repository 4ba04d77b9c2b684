import { emptyProfile, type Profile } from '@nudge/contracts';
import { audienceOf, BROADCAST_TRIGGER, broadcastEvent, broadcastSendId, compileBroadcast } from './broadcast-campaign';
import { parseBroadcastRequest, type BroadcastDocument } from './broadcast-request';

const sendAt = new Date('2026-12-01T10:00:00.000Z');

function aBroadcast(audience: Record<string, unknown>, extra: Record<string, unknown> = {}): BroadcastDocument {
  const request = parseBroadcastRequest({ name: 'Winter sale', audience, message: { channel: ['whatsapp', 'sms'], body: 'Hi' }, ...extra });
  return { ...request, id: 'bc_winter' };
}

function aProfile(
  userId: string,
  changes: { topics?: Record<string, boolean>; attributes?: Record<string, unknown>; country?: string } = {},
): Profile {
  const profile = emptyProfile(userId, '2026-11-01T00:00:00.000Z');
  return {
    ...profile,
    attributes: changes.attributes ?? {},
    preferences: { topics: changes.topics ?? {} },
    ...(changes.country ? { country: changes.country } : {}),
  };
}

const goldInSpain = {
  all: [
    { fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' },
    { fact: 'profile', path: '$.country', operator: 'equal', value: 'ES' },
  ],
};

describe('compileBroadcast', () => {
  it('is a one-message campaign with no delay, triggered by an event nobody emits', () => {
    const campaign = compileBroadcast(
      aBroadcast({ topic: 'news' }, { timeWindow: { start: '09:00', end: '21:00' }, category: 'transactional' }),
    );
    expect(campaign).toMatchObject({
      id: 'bc_winter',
      version: 1,
      triggerEvent: BROADCAST_TRIGGER,
      delay: 'PT0S',
      category: 'transactional',
    });
    expect(campaign.channels).toEqual(['whatsapp', 'sms']);
    expect(campaign.document).toMatchObject({ topic: 'news', status: 'active', timeWindow: { start: '09:00', outside: 'defer' } });
    expect(campaign.isActiveAt(sendAt)).toEqual({ active: true });
  });

  it('gives each user one send id per broadcast', () => {
    expect(broadcastSendId('bc_winter', 'u1')).toBe(broadcastSendId('bc_winter', 'u1'));
    expect(broadcastSendId('bc_winter', 'u1')).not.toBe(broadcastSendId('bc_winter', 'u2'));
    expect(broadcastSendId('bc_winter', 'u1')).not.toBe(broadcastSendId('bc_spring', 'u1'));
  });

  it('names the broadcast as the trigger event of its sends', () => {
    expect(broadcastEvent('bc_winter', 'u1', sendAt)).toMatchObject({
      eventId: 'broadcast:bc_winter',
      userId: 'u1',
      name: BROADCAST_TRIGGER,
      timestamp: sendAt.toISOString(),
    });
  });
});

describe('audienceOf', () => {
  const profiles = new Map(
    [
      aProfile('subscribed', { topics: { news: true } }),
      aProfile('unsubscribed', { topics: { news: false } }),
      aProfile('never-asked'),
      aProfile('gold-es', { topics: { news: true }, attributes: { tier: 'gold' }, country: 'ES' }),
      aProfile('gold-fr', { topics: { news: true }, attributes: { tier: 'gold' }, country: 'FR' }),
      aProfile('gold-es-unsubscribed', { topics: { news: false }, attributes: { tier: 'gold' }, country: 'ES' }),
    ].map((p) => [p.userId, p]),
  );
  const page = [...profiles.keys(), 'erased-since'];

  it.each([
    [
      'a topic: those who switched it on, or off since (decided no_consent), never those never asked',
      { topic: 'news' },
      ['subscribed', 'unsubscribed', 'gold-es', 'gold-fr', 'gold-es-unsubscribed'],
    ],
    ['conditions: those they hold for, subscribed or not', { conditions: goldInSpain }, ['gold-es', 'gold-es-unsubscribed']],
    ['both: those who chose about the topic and match', { topic: 'news', conditions: goldInSpain }, ['gold-es', 'gold-es-unsubscribed']],
    [
      'a negated condition',
      { topic: 'news', conditions: { not: { fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' } } },
      ['subscribed', 'unsubscribed'],
    ],
  ])('%s', async (_, audience, expected) => {
    const members = await audienceOf(compileBroadcast(aBroadcast(audience)), page, profiles, sendAt);
    expect(members.map((p) => p.userId)).toEqual(expected);
  });

  it('keeps the page order and leaves out users whose profile is gone', async () => {
    const members = await audienceOf(
      compileBroadcast(aBroadcast({ topic: 'news' })),
      ['gold-fr', 'erased-since', 'subscribed'],
      profiles,
      sendAt,
    );
    expect(members.map((p) => p.userId)).toEqual(['gold-fr', 'subscribed']);
  });
});
