import { formatPath } from './errors';
import { eventEnvelopeSchemaFor } from './event';
import { recordEventId, withEventRecordDefaults } from './event-record-defaults';

const DAY = 24 * 60 * 60 * 1000;
const schema = eventEnvelopeSchemaFor({ maxEventAgeMs: 30 * DAY });
const appendedAt = Date.parse('2026-11-23T10:00:05.000Z');
const origin = { topic: 'nudge.events.v1', partition: 3, offset: '42', timestamp: String(appendedAt) };
// What SPEC §3 shows, as a producer other than ingest writes it.
const specEvent = {
  eventId: 'e-123',
  userId: 'u1',
  name: 'cart_abandoned',
  timestamp: '2026-11-23T10:00:00Z',
  properties: { cartId: 'c9', cartValue: 129.9 },
};

function decided(value: unknown) {
  const result = schema.safeParse(withEventRecordDefaults(value, origin));
  const problems = result.success ? [] : result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  return { data: result.success ? result.data : undefined, problems };
}

describe('an event written straight into nudge.events.v1', () => {
  it('in the shape of SPEC §3 takes receivedAt from the Kafka timestamp and an empty context', () => {
    expect(decided(specEvent)).toEqual({
      data: { ...specEvent, receivedAt: '2026-11-23T10:00:05.000Z', context: {} },
      problems: [],
    });
  });

  it('without eventId, timestamp or properties gets an id from its place and its timestamp from Kafka', () => {
    const { data } = decided({ userId: 'u1', name: 'app_opened' });
    expect(data).toMatchObject({
      eventId: 'kafka:nudge.events.v1:3:42',
      timestamp: '2026-11-23T10:00:05.000Z',
      receivedAt: '2026-11-23T10:00:05.000Z',
      properties: {},
    });
  });

  it('read again (redelivery) gets the same eventId; another record another one', () => {
    const again = withEventRecordDefaults({ userId: 'u1', name: 'x' }, { ...origin });
    const next = withEventRecordDefaults({ userId: 'u1', name: 'x' }, { ...origin, offset: '43' });
    expect(again).toMatchObject({ eventId: 'kafka:nudge.events.v1:3:42' });
    expect(next).toMatchObject({ eventId: 'kafka:nudge.events.v1:3:43' });
  });

  it('keeps a receivedAt the record carries, and defaults its timestamp to it', () => {
    const { data } = decided({ userId: 'u1', name: 'x', receivedAt: '2026-11-20T08:00:00.000Z' });
    expect(data).toMatchObject({ receivedAt: '2026-11-20T08:00:00.000Z', timestamp: '2026-11-20T08:00:00.000Z' });
  });

  it('is judged by the age limit against the Kafka timestamp', () => {
    expect(decided({ ...specEvent, timestamp: '2026-10-01T00:00:00Z' }).problems).toEqual([
      expect.stringMatching(/^timestamp: must not be more than 30 days before the event was received \(2026-11-23T10:00:05.000Z\)/),
    ]);
  });

  it('still refuses what is truly bad, naming the field', () => {
    expect(decided({ eventId: 'e-1', name: 'x' }).problems).toEqual(['userId: Required']);
    expect(decided({ ...specEvent, context: 'web' }).problems).toEqual(['context: Expected object, received string']);
    expect(decided([specEvent]).problems).toEqual([': Expected object, received array']);
  });

  it('with no Kafka timestamp (-1) and no receivedAt is refused for the missing receivedAt', () => {
    const result = schema.safeParse(withEventRecordDefaults(specEvent, { ...origin, timestamp: '-1' }));
    expect(result.success ? [] : result.error.issues.map((i) => formatPath(i.path))).toEqual(['receivedAt']);
  });

  it('returns a complete envelope as it came (the hot path)', () => {
    const envelope = { ...specEvent, receivedAt: '2026-11-23T10:00:05.000Z', context: {} };
    expect(withEventRecordDefaults(envelope, origin)).toBe(envelope);
  });

  it('hashes an id from a topic name too long for an id', () => {
    const id = recordEventId({ topic: 't'.repeat(249), partition: 0, offset: '1' });
    expect(id).toMatch(/^kafka:[0-9a-f]{64}$/);
    expect(recordEventId({ topic: 't'.repeat(249), partition: 0, offset: '1' })).toBe(id);
  });
});
