import { emptyProfile, type Profile } from '@nudge/contracts';
import { DEFAULT_SETTINGS } from '@nudge/settings';
import { broadcastSendId, compileBroadcast } from './broadcast-campaign';
import { parseBroadcastRequest } from './broadcast-request';
import { sentByChannel } from '@nudge/engine';
import { decideBroadcastSends } from './broadcast-sends';

const now = new Date('2026-12-01T10:00:00.000Z'); // 10:00 UTC, 11:00 in Madrid

const campaign = compileBroadcast({
  ...parseBroadcastRequest({
    name: 'Winter sale',
    audience: { topic: 'news' },
    timeWindow: { start: '09:00', end: '21:00' },
    frequencyCaps: [{ max: 1, per: 'P1D' }],
    message: { channel: 'sms', body: 'Hi' },
  }),
  id: 'bc_winter',
});

function aSubscriber(userId: string, timezone: string, marketing = true): Profile {
  return {
    ...emptyProfile(userId, '2026-11-01T00:00:00.000Z'),
    timezone,
    channels: { sms: { address: `+3460000${userId.length}`, consent: { marketing } } },
    preferences: { topics: { news: true } },
  };
}

describe('decideBroadcastSends', () => {
  const audience = [
    aSubscriber('madrid', 'Europe/Madrid'),
    aSubscriber('no-consent', 'Europe/Madrid', false),
    aSubscriber('los-angeles', 'America/Los_Angeles'), // 02:00 there
    aSubscriber('capped', 'Europe/Madrid'),
  ];
  const ledgers = new Map([
    ['capped', [{ campaignId: 'bc_winter', channel: 'sms' as const, category: 'marketing' as const, sentAt: now }]],
  ]);
  const sends = decideBroadcastSends({ campaign, sendAt: now, audience, ledgers, settings: DEFAULT_SETTINGS, now });

  it('decides each member as a due send of the broadcast', () => {
    expect(sends.decisions.map((d) => [d.userId, d.outcome])).toEqual([
      ['madrid', 'sent'],
      ['no-consent', 'no_consent'],
      ['los-angeles', 'deferred_window'],
      ['capped', 'capped'],
    ]);
    for (const d of sends.decisions)
      expect(d).toMatchObject({ campaignId: 'bc_winter', triggerEventId: 'broadcast:bc_winter', stepId: 'main' });
  });

  it('hands dispatch the sent one under its per-user send id, and counts it against caps', () => {
    expect(sends.requests).toEqual([
      expect.objectContaining({
        sendId: broadcastSendId('bc_winter', 'madrid'),
        userId: 'madrid',
        campaignId: 'bc_winter',
        channel: 'sms',
      }),
    ]);
    expect(sends.ledger).toEqual([
      expect.objectContaining({ sendId: broadcastSendId('bc_winter', 'madrid'), category: 'marketing', sentAt: now }),
    ]);
    expect(sentByChannel(sends)).toEqual(new Map([['sms', 1]]));
  });

  it('defers the one outside the window to 09:00 in their zone, as a pending send of the broadcast', () => {
    expect(sends.schedule).toEqual([
      expect.objectContaining({
        sendId: broadcastSendId('bc_winter', 'los-angeles'),
        campaignId: 'bc_winter',
        dueAt: new Date('2026-12-01T17:00:00.000Z'),
        triggerEvent: expect.objectContaining({ eventId: 'broadcast:bc_winter', userId: 'los-angeles' }),
      }),
    ]);
    expect(sends.decisions[2]?.scheduledFor).toEqual(new Date('2026-12-01T17:00:00.000Z'));
  });
});

describe('decideBroadcastSends: a user who switched the topic off', () => {
  it('is decided no_consent with the topic named, and sent nothing', () => {
    const off: Profile = { ...aSubscriber('switched-off', 'Europe/Madrid'), preferences: { topics: { news: false } } };
    const sends = decideBroadcastSends({ campaign, sendAt: now, audience: [off], ledgers: new Map(), settings: DEFAULT_SETTINGS, now });
    expect(sends.decisions).toEqual([
      expect.objectContaining({ userId: 'switched-off', outcome: 'no_consent', reason: 'the user switched off the topic "news"' }),
    ]);
    expect(sends.requests).toEqual([]);
  });
});

describe('decideBroadcastSends: an opted-out address', () => {
  it('is no_consent for the member holding it, naming the opt-out; the others are sent', () => {
    const audience = [aSubscriber('stopped', 'Europe/Madrid'), aSubscriber('other', 'Europe/Madrid')];
    const stop = {
      channel: 'sms' as const,
      address: '+34600007',
      suppressed: true,
      keyword: 'STOP',
      source: 'inbound:sandbox',
      changedAt: '2026-11-30T08:00:00.000Z',
    };
    const suppressions = new Map([['stopped', new Map([['sms' as const, stop]])]]);
    const sends = decideBroadcastSends({
      campaign,
      sendAt: now,
      audience,
      ledgers: new Map(),
      suppressions,
      settings: DEFAULT_SETTINGS,
      now,
    });
    expect(sends.decisions.map((d) => [d.userId, d.outcome, d.reason])).toEqual([
      ['stopped', 'no_consent', 'sms address +34600007 opted out of marketing by STOP on 2026-11-30T08:00:00.000Z (inbound:sandbox)'],
      ['other', 'sent', 'sent on sms'],
    ]);
    expect(sends.requests.map((r) => r.userId)).toEqual(['other']);
  });
});
