import { validationPathsOf } from '@nudge/testing';
import { newestEvents } from './recent-events';
import { simulationRequestOf } from './simulation-request';

const event = { userId: 'ana', name: 'cart_abandoned', timestamp: '2026-03-02T10:00:00+01:00' };

describe('simulationRequestOf', () => {
  it('parses a campaign given as YAML text, events with a generated id where they have none, and profiles', () => {
    const request = simulationRequestOf({
      campaign: 'id: c\nname: C\ntrigger: { event: cart_abandoned }\nmessage: { channel: sms, body: Hi }\n',
      events: [event, { ...event, eventId: 'mine' }],
      profiles: [{ userId: 'ana', attributes: { firstName: 'Ana' } }],
    });
    expect(request.campaign).toEqual({
      document: { id: 'c', name: 'C', trigger: { event: 'cart_abandoned' }, message: { channel: 'sms', body: 'Hi' } },
    });
    expect(request.events).toEqual({
      given: [
        expect.objectContaining({
          eventId: 'event-1',
          timestamp: '2026-03-02T09:00:00.000Z',
          receivedAt: '2026-03-02T09:00:00.000Z',
          properties: {},
        }),
        expect.objectContaining({ eventId: 'mine' }),
      ],
    });
    expect(request.profiles?.[0]).toMatchObject({ userId: 'ana', attributes: { firstName: 'Ana' } });
  });

  it('takes a saved campaign and the last n events, with no profiles (the stored ones are used)', () => {
    expect(simulationRequestOf({ campaignId: 'c', lastEvents: 500 })).toEqual({ campaign: { id: 'c' }, events: { last: 500 } });
  });

  it.each([
    [{ events: [event] }, ['campaign']],
    [{ campaign: {}, campaignId: 'c', lastEvents: 1 }, ['campaign']],
    [{ campaignId: 'c', events: [event], lastEvents: 1 }, ['events']],
    [{ campaignId: 'c', lastEvents: 0 }, ['lastEvents']],
    [{ campaignId: 'c', lastEvents: 1, colour: 'red' }, ['colour']],
    [{ campaign: 'name: [', lastEvents: 1 }, ['campaign']],
    [
      { campaignId: 'c', events: [event, { ...event, timestamp: undefined }, { ...event, name: '' }] },
      ['events[1].timestamp', 'events[2].name'],
    ],
    [
      { campaignId: 'c', lastEvents: 1, profiles: [{}, { userId: 'bo', timezone: 'Mars/Base' }] },
      ['profiles[0].userId', 'profiles[1].timezone'],
    ],
  ])('refuses %j naming %j', (body, paths) => {
    expect(validationPathsOf(() => simulationRequestOf(body))).toEqual(paths);
  });
});

describe('newestEvents', () => {
  const record = (eventId: string, receivedAt: string) =>
    Buffer.from(JSON.stringify({ eventId, userId: 'ana', name: 'x', timestamp: receivedAt, receivedAt, properties: {}, context: {} }));

  it('keeps the events among the records, the n received last, oldest first, and counts the rest', () => {
    const values = [
      record('b', '2026-03-02T10:00:02Z'),
      Buffer.from('{not json'),
      null,
      record('a', '2026-03-02T10:00:01Z'),
      record('c', '2026-03-02T10:00:03Z'),
    ];
    const { events, skipped } = newestEvents(values, 2);
    expect(events.map((e) => e.eventId)).toEqual(['b', 'c']);
    expect(skipped).toBe(2);
  });
});
