import { readTopic, type TestStack } from '@nudge/testing';
import { eventsBeforeMarker, postMarker, profileRecordsOf, startIngest } from './support/ingest-stack';

const DAY = 24 * 60 * 60 * 1000;

/** An object nested `levels` deep, the outer one being level 1. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

// Each fault of an event, the field the 400 must name, and what the event holds.
const FAULTS: [string, string, Record<string, unknown>][] = [
  ['a control character in userId', 'userId', { userId: 'lena\u001b[2J' }],
  ['a 257-character eventId', 'eventId', { eventId: 'e'.repeat(257) }],
  ['a 129-character name', 'name', { name: 'n'.repeat(129) }],
  ['a line break in the name', 'name', { name: 'Order\nCompleted' }],
  ['properties nested 9 deep', 'properties.a.a.a.a.a.a.a.a', { properties: nested(9) }],
  ['properties of 257 keys', 'properties', { properties: keys(257) }],
  ['properties over 32 KB', 'properties', { properties: { blob: 'x'.repeat(32 * 1024) } }],
  ['NUL in a property', 'properties.note', { properties: { note: 'a\u0000b' } }],
  ['NUL in a context key', 'context.a\\u0000', { context: { 'a\u0000': 1 } }],
  ['a timestamp 31 days old', 'timestamp', { timestamp: ago(31 * DAY) }],
  ['a timestamp 2 days ahead', 'timestamp', { timestamp: ago(-2 * DAY) }],
];

describe('ingest: input limits', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startIngest('ingest-limits', { NUDGE_MAX_EVENT_AGE: 'P30D' });
  });

  afterAll(() => stack?.stop());

  it.each(FAULTS)('answers 400 naming the field to an event with %s (%s)', async (_case, path, fault) => {
    const posted = await stack.client('ingest').post('/v1/events', { userId: 'lena', name: 'Order Completed', ...fault });
    expect(posted.status).toBe(400);
    expect(posted.body.error).toMatchObject({ code: 'validation_failed', details: [{ path, message: expect.any(String) }] });
  });

  it.each(FAULTS)('answers 400 naming events[1] to a batch with %s (%s)', async (_case, path, fault) => {
    const events = [
      { userId: 'lena', name: 'app_opened' },
      { userId: 'lena', name: 'Order Completed', ...fault },
    ];
    const posted = await stack.client('ingest').post('/v1/events/batch', { events });
    expect(posted.status).toBe(400);
    expect(posted.body.error.details).toEqual([{ path: `events[1].${path}`, message: expect.any(String) }]);
  });

  it('published none of the refused events', async () => {
    const ingest = stack.client('ingest');
    expect(await eventsBeforeMarker(stack, 'lena', await postMarker(ingest, 'lena'))).toEqual([]);
    const all = await readTopic(stack.brokers, stack.topics.events, { until: (read) => read.length > 0 });
    expect(all.map((r) => r.key)).toEqual(['lena']);
  });

  it('accepts an event at every limit: names with spaces, 256-character ids, 32 KB of properties', async () => {
    const ingest = stack.client('ingest');
    const properties = { blob: 'x'.repeat(32 * 1024 - 300), ...keys(20), deep: nested(7) };
    const event = { eventId: 'é'.repeat(256), userId: 'mia', name: 'Order Completed', timestamp: ago(29 * DAY), properties };
    expect((await ingest.post('/v1/events', event)).status).toBe(202);
    const published = await eventsBeforeMarker(stack, 'mia', await postMarker(ingest, 'mia'));
    expect(published.map((r) => r.value)).toEqual([
      expect.objectContaining({ eventId: event.eventId, name: 'Order Completed', properties }),
    ]);
  });

  it.each([
    ['a control character in the userId of the path', '/v1/users/nina%1B%5B2J', {}, 'userId'],
    ['a 257-character userId in the path', `/v1/users/${'u'.repeat(257)}`, {}, 'userId'],
    ['attributes nested 9 deep', '/v1/users/nina', { attributes: nested(9) }, 'attributes.a.a.a.a.a.a.a.a'],
    ['attributes of 257 keys', '/v1/users/nina', { attributes: keys(257) }, 'attributes'],
    ['attributes over 32 KB', '/v1/users/nina', { attributes: { bio: 'x'.repeat(32 * 1024) } }, 'attributes'],
    ['NUL in an attribute', '/v1/users/nina', { attributes: { firstName: 'Nina\u0000' } }, 'attributes.firstName'],
    [
      'a control character in a topic name',
      '/v1/users/nina',
      { preferences: { topics: { 'promo\u0007': true } } },
      'preferences.topics.promo\u0007',
    ],
    ['a line break in an address', '/v1/users/nina', { channels: { sms: { address: '+34600000001\n' } } }, 'channels.sms.address'],
  ])('answers 400 naming the field to a profile update with %s', async (_case, path, body, field) => {
    const put = await stack.client('ingest').put(path, body);
    expect(put.status).toBe(400);
    expect(put.body.error.details).toEqual([{ path: field, message: expect.any(String) }]);
  });

  it('refuses an update whose attributes, merged with the stored ones, break the limit, and keeps the profile', async () => {
    const ingest = stack.client('ingest');
    expect((await ingest.put('/v1/users/olga', { attributes: keys(200) })).status).toBe(200);
    const more = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`more${i}`, i]));
    const put = await ingest.put('/v1/users/olga', { attributes: more });
    expect(put.status).toBe(400);
    expect(put.body.error.details).toEqual([{ path: 'attributes', message: expect.stringMatching(/300 keys/) }]);
    expect((await ingest.get('/v1/users/olga')).body.version).toBe(1);
  });

  it('published no profile for the refused updates', async () => {
    const ingest = stack.client('ingest');
    expect((await ingest.put('/v1/users/nina', { attributes: { firstName: 'Nina' } })).status).toBe(200);
    const records = await profileRecordsOf(stack, 'nina', (read) => read.length > 0);
    expect(records.map((r) => r.value.attributes)).toEqual([{ firstName: 'Nina' }]);
  });
});
