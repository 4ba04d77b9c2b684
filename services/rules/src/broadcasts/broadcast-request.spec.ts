import { ValidationError } from '@nudge/contracts';
import { parseAudienceEstimateRequest, parseBroadcastRequest } from './broadcast-request';

const valid = {
  name: 'Winter sale',
  audience: { topic: 'news' },
  message: { channel: 'sms', sender: 'ACME', body: 'Hi {{ profile.attributes.firstName }}, the sale is on' },
};

function problemsOf(body: unknown): { path: string; message: string }[] {
  try {
    parseBroadcastRequest(body);
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseBroadcastRequest', () => {
  it('accepts the smallest broadcast and fills in the category', () => {
    expect(parseBroadcastRequest(valid)).toEqual({ ...valid, category: 'marketing' });
  });

  it.each([
    [
      'conditions on the profile only',
      { conditions: { all: [{ fact: 'profile', path: '$.attributes.tier', operator: 'equal', value: 'gold' }] } },
    ],
    [
      'a topic and conditions (both must hold)',
      { topic: 'news', conditions: { fact: 'profile', path: '$.country', operator: 'in', value: ['ES'] } },
    ],
    [
      'a comparison with another profile field',
      {
        conditions: {
          fact: 'profile',
          path: '$.attributes.points',
          operator: 'greaterThan',
          value: { fact: 'profile', path: '$.attributes.goal' },
        },
      },
    ],
  ])('accepts an audience of %s', (_, audience) => {
    expect(parseBroadcastRequest({ ...valid, audience }).audience).toEqual(audience);
  });

  it('accepts an id, a later sendAt in another zone, a window with defaults, caps and a fallback chain', () => {
    const request = parseBroadcastRequest({
      ...valid,
      id: 'winter-sale-2026',
      category: 'transactional',
      sendAt: '2026-12-01T10:00:00+01:00',
      timeWindow: { start: '09:00', end: '21:00' },
      frequencyCaps: [{ max: 1, per: 'P1D' }],
      message: { channel: ['whatsapp', 'sms'], fallbackAfter: 'PT2H', body: 'Hi' },
    });
    expect(request).toMatchObject({
      id: 'winter-sale-2026',
      category: 'transactional',
      sendAt: '2026-12-01T09:00:00.000Z',
      timeWindow: { start: '09:00', end: '21:00', timezone: 'recipient', outside: 'defer' },
    });
  });

  it.each([
    ['an empty audience', { ...valid, audience: {} }, 'audience', 'must name a topic'],
    ['no audience', { ...valid, audience: undefined }, 'audience', 'Required'],
    ['an unknown audience key', { ...valid, audience: { topic: 'news', segment: 'vip' } }, 'audience.segment', 'unknown field'],
    [
      'a condition on the event',
      { ...valid, audience: { conditions: { all: [{ fact: 'event', path: '$.name', operator: 'equal', value: 'x' }] } } },
      'audience.conditions.all[0].fact',
      'must be "profile"',
    ],
    [
      'an unknown operator',
      { ...valid, audience: { conditions: { all: [{ fact: 'profile', path: '$.country', operator: 'like', value: 'E%' }] } } },
      'audience.conditions.all[0].operator',
      'unknown operator',
    ],
    ['an unknown channel', { ...valid, message: { ...valid.message, channel: 'pigeon' } }, 'message.channel', "received 'pigeon'"],
    ['a body with a broken template', { ...valid, message: { ...valid.message, body: 'Hi {{ name ' } }, 'message.body', ''],
    ['no message', { name: 'x', audience: { topic: 'news' } }, 'message', 'Required'],
    ['a bad id', { ...valid, id: 'Winter Sale' }, 'id', 'must be a slug'],
    ['a sendAt without a zone', { ...valid, sendAt: '2026-12-01T10:00:00' }, 'sendAt', 'with a zone'],
    ['a window that is no window', { ...valid, timeWindow: { start: '09:00', end: '09:00' } }, 'timeWindow.end', 'must differ'],
    ['a cap of zero', { ...valid, frequencyCaps: [{ max: 0, per: 'P1D' }] }, 'frequencyCaps[0].max', 'at least 1'],
    ['a campaign field', { ...valid, delay: 'PT1H' }, 'delay', 'unknown field'],
    ['an unknown category', { ...valid, category: 'promotional' }, 'category', ''],
  ])('refuses %s', (_, body, path, message) => {
    expect(problemsOf(body)).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('names every bad field at once', () => {
    const paths = problemsOf({ name: '', audience: {}, message: { channel: 'sms' } }).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'audience', 'message.body']));
  });
});

describe('parseAudienceEstimateRequest', () => {
  it('takes a whole broadcast request, or only its audience', () => {
    expect(parseAudienceEstimateRequest(valid)).toMatchObject({ audience: { topic: 'news' }, message: { channel: 'sms' } });
    expect(parseAudienceEstimateRequest({ audience: { topic: 'news' } })).toEqual({ audience: { topic: 'news' }, category: 'marketing' });
  });

  it('names what is wrong as the broadcast request does', () => {
    let paths: string[] = [];
    try {
      parseAudienceEstimateRequest({ audience: { topic: '' }, message: { channel: 'sms' } });
    } catch (error) {
      if (error instanceof ValidationError) paths = error.details.map((d) => d.path);
    }
    expect(paths).toEqual(['audience.topic', 'message.body']);
  });
});
