import { formatPath } from './errors';
import { CONSENT_EVENT_NAMES } from './consent';
import { ENGINE_EVENT_NAMES, eventEnvelopeSchemaFor, eventInputSchema, eventInputSchemaAt } from './event';
import { FALLBACK_DUE_EVENT } from './fallback-due';
import { USER_MERGED_EVENT } from './user-merge';

const DAY = 24 * 60 * 60 * 1000;
const limit = { maxEventAgeMs: 30 * DAY };
const envelope = {
  eventId: 'e-1',
  userId: 'u1',
  name: 'cart_abandoned',
  timestamp: '2026-11-23T10:00:00.000Z',
  receivedAt: '2026-11-23T10:00:05.000Z',
  properties: { cartValue: 129.9 },
  context: {},
};

function pathsOf(result: { success: boolean; error?: { issues: { path: (string | number)[] }[] } }): string[] {
  return result.error?.issues.map((issue) => formatPath(issue.path)) ?? [];
}

let deep: Record<string, unknown> = {};
for (let i = 0; i < 19; i++) deep = { d: deep };

// What a record produced straight into nudge.events.v1 may carry: the same faults ingest refuses.
describe('the event envelope as consumers read it', () => {
  const schema = eventEnvelopeSchemaFor(limit);

  it('accepts a valid envelope', () => {
    expect(schema.safeParse(envelope).success).toBe(true);
  });

  it.each([
    ['NUL in a property', 'properties.note', { properties: { note: 'a\u0000b' } }],
    ['300 keys in properties', 'properties', { properties: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])) }],
    ['properties nested 20 deep', 'properties.d.d.d.d.d.d.d.d', { properties: deep }],
    ['a control character in userId', 'userId', { userId: 'u\u001b1' }],
    ['40 KB of properties', 'properties', { properties: { blob: 'x'.repeat(40 * 1024) } }],
    ['a 257-character eventId', 'eventId', { eventId: 'e'.repeat(257) }],
    ['a newline in the name', 'name', { name: 'cart\nabandoned' }],
    ['NUL in a context key', 'context.a\\u0000', { context: { 'a\u0000': 1 } }],
    ['a timestamp 31 days before its receivedAt', 'timestamp', { timestamp: '2026-10-23T10:00:00.000Z' }],
    ['a timestamp 2 days after its receivedAt', 'timestamp', { timestamp: '2026-11-25T10:00:06.000Z' }],
  ])('refuses %s, naming %s', (_case, path, change) => {
    expect(pathsOf(schema.safeParse({ ...envelope, ...change }))).toEqual([path]);
  });

  it('accepts an old record received long ago: the age is judged against receivedAt', () => {
    const replayed = { ...envelope, timestamp: '2024-01-01T00:00:00.000Z', receivedAt: '2024-01-01T00:00:01.000Z' };
    expect(schema.safeParse(replayed).success).toBe(true);
  });
});

describe('an event as a client sends it', () => {
  const receivedAt = new Date('2026-11-23T10:00:00.000Z');

  it('allows names with spaces', () => {
    expect(eventInputSchema.safeParse({ userId: 'u1', name: 'Order Completed' }).success).toBe(true);
  });

  it.each([
    ['exactly 30 days old', '2026-10-24T10:00:00.000Z', []],
    ['30 days and a second old', '2026-10-24T09:59:59.000Z', ['timestamp']],
    ['exactly a day ahead', '2026-11-24T10:00:00.000Z', []],
    ['a day and a second ahead', '2026-11-24T10:00:01.000Z', ['timestamp']],
  ])('with a timestamp %s', (_case, timestamp, paths) => {
    expect(pathsOf(eventInputSchemaAt(receivedAt, limit).safeParse({ userId: 'u1', name: 'x', timestamp }))).toEqual(paths);
  });

  it('refuses from apps the events only Nudge publishes (consent changes, fallback_due, user_merged), naming the field', () => {
    const receivedAt = new Date('2026-12-03T10:00:00Z');
    const limit = { maxEventAgeMs: 86_400_000 };
    expect([...ENGINE_EVENT_NAMES].sort()).toEqual([...Object.values(CONSENT_EVENT_NAMES), FALLBACK_DUE_EVENT, USER_MERGED_EVENT].sort());
    for (const name of [...ENGINE_EVENT_NAMES].filter((n) => n !== USER_MERGED_EVENT)) {
      const parsed = eventInputSchemaAt(receivedAt, limit).safeParse({ userId: 'u1', name });
      expect(parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['name', `${name} is published by Nudge itself and cannot be sent; change consent with PUT /v1/users/{userId}`],
      ]);
    }
    const merge = eventInputSchemaAt(receivedAt, limit).safeParse({ userId: 'u1', name: USER_MERGED_EVENT });
    expect(merge.success ? [] : merge.error.issues.map((i) => i.message)).toEqual([
      `${USER_MERGED_EVENT} is published by Nudge itself and cannot be sent; merge users with POST /v1/users/{userId}/aliases`,
    ]);
    expect(eventInputSchemaAt(receivedAt, limit).safeParse({ userId: 'u1', name: 'message_clicked' }).success).toBe(true);
  });
});
