import { MAX_BATCH_EVENTS, ValidationError, type ValidationIssue } from '@nudge/contracts';
import { envelopeOfEvent, envelopesOfBatch, eventsClaimedBy } from './event-envelopes';

const receivedAt = new Date('2026-11-23T10:00:05.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const valid = { eventId: 'e-1', userId: 'u1', name: 'cart_abandoned', timestamp: '2026-11-23T10:00:00Z' };

function issuesOf(run: () => unknown): ValidationIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.details;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

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
    ['no body at all', '(body)', undefined],
  ])('rejects %s, naming %s', (_case, path, body) => {
    expect(issuesOf(() => envelopeOfEvent(body, receivedAt)).map((i) => i.path)).toContain(path);
  });

  it('fills eventId, timestamp (receipt time), receivedAt, properties and context', () => {
    const envelope = envelopeOfEvent({ userId: 'u1', name: 'app_opened' }, receivedAt);
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
    expect(envelopeOfEvent(sent, receivedAt)).toEqual({
      ...sent,
      timestamp: '2026-11-23T10:00:00.000Z',
      receivedAt: receivedAt.toISOString(),
    });
  });

  it('gives every event without an eventId an id of its own', () => {
    const first = envelopeOfEvent({ userId: 'u1', name: 'x' }, receivedAt);
    const second = envelopeOfEvent({ userId: 'u1', name: 'x' }, receivedAt);
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
    ['an empty batch', 'events', batchOf([])],
    ['more than the most events a batch may hold', 'events', batchOf(Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => valid))],
    ['events that are not a list', 'events', { events: valid }],
    ['a body without events', 'events', { items: [valid] }],
    ['an unknown key beside events', 'source', { ...batchOf([valid]), source: 'web' }],
    ['a body that is not an object', '(body)', 'events'],
  ])('rejects %s, naming %s', (_case, path, body) => {
    expect(issuesOf(() => envelopesOfBatch(body, receivedAt)).map((i) => i.path)).toContain(path);
  });

  it('names the problems of every invalid event, not only the first', () => {
    const body = batchOf([{ name: 'x' }, valid, { userId: 'u1' }]);
    expect(issuesOf(() => envelopesOfBatch(body, receivedAt)).map((i) => i.path)).toEqual(['events[0].userId', 'events[2].name']);
  });

  it('collapses events with the same eventId into the first one', () => {
    const envelopes = envelopesOfBatch(batchOf([valid, { ...valid, name: 'other' }, { ...valid, eventId: 'e-2' }]), receivedAt);
    expect(envelopes.map((e) => [e.eventId, e.name])).toEqual([
      ['e-1', 'cart_abandoned'],
      ['e-2', 'cart_abandoned'],
    ]);
  });

  it('accepts the most events a batch may hold', () => {
    const events = Array.from({ length: MAX_BATCH_EVENTS }, (_, i) => ({ userId: `u${i}`, name: 'x' }));
    expect(envelopesOfBatch(batchOf(events), receivedAt)).toHaveLength(MAX_BATCH_EVENTS);
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
