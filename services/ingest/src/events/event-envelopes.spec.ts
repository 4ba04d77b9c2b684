import { validationIssuesOf } from '@nudge/testing';
import { MAX_BATCH_EVENTS } from '@nudge/contracts';
import { envelopeOfEvent, envelopesOfBatch, eventsClaimedBy } from './event-envelopes';

const receivedAt = new Date('2026-11-23T10:00:05.000Z');
const limit = { maxEventAgeMs: 30 * 24 * 3600 * 1000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const valid = { eventId: 'e-1', userId: 'u1', name: 'cart_abandoned', timestamp: '2026-11-23T10:00:00Z' };

/** An object nested `levels` deep, the outer one being level 1. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < levels; level++) value = { a: value };
  return value;
}

const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

describe('one event', () => {
  it.each([
    ['a missing userId', 'userId', { name: 'x' }],
    ['an empty userId', 'userId', { userId: '  ', name: 'x' }],
    ['a missing name', 'name', { userId: 'u1' }],
    ['a timestamp that is not ISO-8601', 'timestamp', { ...valid, timestamp: '23/11/2026 10:00' }],
    ['a date that does not exist', 'timestamp', { ...valid, timestamp: '2026-02-30T10:00:00Z' }],
    ['properties that are not an object', 'properties', { ...valid, properties: [1, 2] }],
    ['an unknown key', 'colour', { ...valid, colour: 'red' }],
    ['an array body', '(body)', [valid]],
    ['a control character in userId', 'userId', { ...valid, userId: 'u\u00001' }],
    ['a 257-character eventId', 'eventId', { ...valid, eventId: 'e'.repeat(257) }],
    ['a 129-character name', 'name', { ...valid, name: 'n'.repeat(129) }],
    ['a line break in the name', 'name', { ...valid, name: 'Order\nCompleted' }],
    ['properties nested 9 deep, at the level too deep', 'properties.a.a.a.a.a.a.a.a', { ...valid, properties: nested(9) }],
    ['properties of 257 keys', 'properties', { ...valid, properties: keys(257) }],
    ['properties over 32 KB', 'properties', { ...valid, properties: { blob: 'x'.repeat(32 * 1024) } }],
    ['NUL in a property', 'properties.note', { ...valid, properties: { note: 'a\u0000b' } }],
    ['NUL in a context key', 'context.a\\u0000', { ...valid, context: { 'a\u0000': 1 } }],
    ['a timestamp older than the limit', 'timestamp', { ...valid, timestamp: '2026-10-24T10:00:04Z' }],
    ['a timestamp more than a day ahead', 'timestamp', { ...valid, timestamp: '2026-11-24T10:00:06Z' }],
    ['no body at all', '(body)', undefined],
  ])('rejects %s, naming %s', (_case, path, body) => {
    expect(validationIssuesOf(() => envelopeOfEvent(body, receivedAt, limit)).map((i) => i.path)).toContain(path);
  });

  it.each([
    ['a name with spaces', { ...valid, name: 'Order Completed' }],
    ['ids and a name in other scripts', { ...valid, userId: 'usuário-用户', name: 'Заказ оформлен' }],
    ['a timestamp exactly at the age limit', { ...valid, timestamp: '2026-10-24T10:00:05Z' }],
    ['a timestamp exactly a day ahead', { ...valid, timestamp: '2026-11-24T10:00:05Z' }],
    ['properties at every limit', { ...valid, properties: { ...keys(255), deep: nested(7) } }],
  ])('accepts %s', (_case, body) => {
    expect(() => envelopeOfEvent(body, receivedAt, limit)).not.toThrow();
  });

  it('fills eventId, timestamp (receipt time), receivedAt, properties and context', () => {
    const envelope = envelopeOfEvent({ userId: 'u1', name: 'app_opened' }, receivedAt, limit);
    expect(envelope).toEqual({
      eventId: expect.stringMatching(UUID),
      userId: 'u1',
      name: 'app_opened',
      timestamp: '2026-11-23T10:00:05.000Z',
      receivedAt: '2026-11-23T10:00:05.000Z',
      properties: {},
      context: {},
    });
  });

  it('keeps what the client sent and normalises the timestamp to UTC', () => {
    const sent = { ...valid, timestamp: '2026-11-23T11:00:00+01:00', properties: { cartValue: 129.9 }, context: { source: 'web' } };
    expect(envelopeOfEvent(sent, receivedAt, limit)).toEqual({
      ...sent,
      timestamp: '2026-11-23T10:00:00.000Z',
      receivedAt: receivedAt.toISOString(),
    });
  });

  it('gives every event without an eventId an id of its own', () => {
    const first = envelopeOfEvent({ userId: 'u1', name: 'x' }, receivedAt, limit);
    const second = envelopeOfEvent({ userId: 'u1', name: 'x' }, receivedAt, limit);
    expect(first.eventId).not.toBe(second.eventId);
  });
});

describe('a batch', () => {
  const batchOf = (events: unknown[]) => ({ events });

  it.each([
    ['an invalid event, by its index', 'events[2].name', batchOf([valid, valid, { ...valid, name: '' }])],
    ['a bad timestamp inside an event', 'events[1].timestamp', batchOf([valid, { ...valid, timestamp: 'yesterday' }])],
    ['an unknown key inside an event', 'events[0].user', batchOf([{ ...valid, user: 'u1' }])],
    ['an item that is not an object', 'events[1]', batchOf([valid, 'oops'])],
    [
      'NUL in a property of one event',
      'events[3].properties.note',
      batchOf([valid, valid, valid, { ...valid, properties: { note: '\u0000' } }]),
    ],
    ['an old timestamp in one event', 'events[1].timestamp', batchOf([valid, { ...valid, timestamp: '2025-01-01T00:00:00Z' }])],
    ['an empty batch', 'events', batchOf([])],
    ['more than the most events a batch may hold', 'events', batchOf(Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => valid))],
    ['events that are not a list', 'events', { events: valid }],
    ['a body without events', 'events', { items: [valid] }],
    ['an unknown key beside events', 'source', { ...batchOf([valid]), source: 'web' }],
    ['a body that is not an object', '(body)', 'events'],
  ])('rejects %s, naming %s', (_case, path, body) => {
    expect(validationIssuesOf(() => envelopesOfBatch(body, receivedAt, limit)).map((i) => i.path)).toContain(path);
  });

  it('names the problems of every invalid event, not only the first', () => {
    const body = batchOf([{ name: 'x' }, valid, { userId: 'u1' }]);
    expect(validationIssuesOf(() => envelopesOfBatch(body, receivedAt, limit)).map((i) => i.path)).toEqual([
      'events[0].userId',
      'events[2].name',
    ]);
  });

  it('collapses events with the same eventId into the first one', () => {
    const envelopes = envelopesOfBatch(batchOf([valid, { ...valid, name: 'other' }, { ...valid, eventId: 'e-2' }]), receivedAt, limit);
    expect(envelopes.map((e) => [e.eventId, e.name])).toEqual([
      ['e-1', 'cart_abandoned'],
      ['e-2', 'cart_abandoned'],
    ]);
  });

  it('accepts the most events a batch may hold', () => {
    const events = Array.from({ length: MAX_BATCH_EVENTS }, (_, i) => ({ userId: `u${i}`, name: 'x' }));
    expect(envelopesOfBatch(batchOf(events), receivedAt, limit)).toHaveLength(MAX_BATCH_EVENTS);
  });
});

describe('counting rejected events', () => {
  it.each([
    [{ events: [1, 2, 3] }, 3],
    [{ events: [] }, 1],
    [{ userId: 'u1' }, 1],
    [undefined, 1],
  ])('%j holds %i', (body, count) => {
    expect(eventsClaimedBy(body)).toBe(count);
  });
});
