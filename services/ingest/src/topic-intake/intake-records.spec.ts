import { readIntakeRecord, type IntakeRecord } from './intake-records';

const receivedAt = new Date('2026-11-23T10:00:05Z');
const ageLimit = { maxEventAgeMs: 30 * 24 * 60 * 60 * 1000 };
const place = { topic: 'shop.events', partition: 2, offset: '17', key: 'u1' };

function read(value: unknown, headers: Record<string, string> = {}, key: string | null = 'u1') {
  const record: IntakeRecord = { ...place, key, headers, value };
  return readIntakeRecord(record, receivedAt, ageLimit);
}

const binaryHeaders = {
  ce_specversion: '1.0',
  ce_id: 'ce-1',
  ce_source: '/shop/checkout',
  ce_type: 'com.shop.cart.abandoned',
  ce_time: '2026-11-23T10:00:00Z',
  ce_subject: 'u7',
  'content-type': 'application/json',
};

describe('a record of an intake topic', () => {
  it('holding a Segment track message is that message, with a messageId from its place when it has none', () => {
    expect(read({ type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 30 } })).toEqual({
      ok: true,
      format: 'segment',
      messages: [{ type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 30 }, messageId: 'kafka:shop.events:2:17' }],
    });
  });

  it("holding a Segment batch is its messages, each with the batch's context under its own and an id of its index", () => {
    const result = read({
      batch: [
        { type: 'track', userId: 'u1', event: 'a', messageId: 'm-1', context: { locale: 'es-ES' } },
        { type: 'identify', userId: 'u1', traits: { plan: 'pro' } },
      ],
      context: { library: { name: 'analytics-java' }, locale: 'en-US' },
    });
    expect(result).toMatchObject({
      ok: true,
      messages: [
        { messageId: 'm-1', context: { library: { name: 'analytics-java' }, locale: 'es-ES' } },
        { messageId: 'kafka:shop.events:2:17:1', context: { library: { name: 'analytics-java' }, locale: 'en-US' } },
      ],
    });
  });

  it('holding a bad Segment message is refused naming the field, in a batch by its index', () => {
    expect(read({ type: 'track', userId: 'u1' })).toEqual({
      ok: false,
      format: 'segment',
      issues: [{ path: 'event', message: 'is required: the name of the event' }],
    });
    expect(read({ batch: [{ type: 'track', userId: 'u1', event: 'a' }, { type: 'page' }] })).toMatchObject({
      ok: false,
      issues: [{ path: 'batch[1].userId' }],
    });
    expect(read({ event: 'a', userId: 'u1' })).toMatchObject({ ok: false, issues: [{ path: 'type' }] });
    expect(read({ batch: {} })).toMatchObject({ ok: false, issues: [{ path: 'batch', message: 'must be an array of Segment messages' }] });
  });

  it('with CloudEvents binary-mode headers is the track call it means: type, id, time, subject, data', () => {
    expect(read({ cartId: 'c9', cartValue: 129.9 }, binaryHeaders)).toEqual({
      ok: true,
      format: 'cloudevent',
      messages: [
        {
          type: 'track',
          messageId: 'ce-1',
          event: 'com.shop.cart.abandoned',
          userId: 'u7',
          timestamp: '2026-11-23T10:00:00Z',
          properties: { cartId: 'c9', cartValue: 129.9 },
          context: { cloudevents: { specversion: '1.0', source: '/shop/checkout', datacontenttype: 'application/json' } },
        },
      ],
    });
  });

  it("without a subject takes the user from data.userId, else from the record's key", () => {
    const { ce_subject: _subject, ...headers } = binaryHeaders;
    expect(read({ userId: 'u9' }, headers)).toMatchObject({ ok: true, messages: [{ userId: 'u9' }] });
    expect(read({ cartId: 'c1' }, headers, 'u3')).toMatchObject({ ok: true, messages: [{ userId: 'u3' }] });
    expect(read({ cartId: 'c1' }, headers, null)).toMatchObject({ ok: false, issues: [{ path: 'ce_subject' }] });
  });

  it('in structured mode (application/cloudevents+json) reads the attributes from the value', () => {
    const value = { specversion: '1.0', id: 'ce-2', source: '/app', type: 'app_opened', subject: 'u2', data: { screen: 'home' } };
    expect(read(value, { 'content-type': 'application/cloudevents+json; charset=UTF-8' })).toMatchObject({
      ok: true,
      messages: [{ messageId: 'ce-2', event: 'app_opened', userId: 'u2', properties: { screen: 'home' } }],
    });
  });

  it('as a broken CloudEvent is refused naming its headers', () => {
    const { ce_id: _id, ...noId } = binaryHeaders;
    expect(read({}, { ...noId, ce_specversion: '0.3' })).toEqual({
      ok: false,
      format: 'cloudevent',
      issues: [
        { path: 'ce_specversion', message: 'must be 1.0, got 0.3' },
        { path: 'ce_id', message: 'is required' },
      ],
    });
    expect(read([1, 2], binaryHeaders)).toMatchObject({ ok: false, issues: [{ path: 'data' }] });
    expect(read({}, { ...binaryHeaders, 'content-type': 'application/avro' })).toMatchObject({
      ok: false,
      issues: [{ path: 'content-type' }],
    });
    expect(read({}, { ...binaryHeaders, ce_time: '2026-09-01T00:00:00Z' })).toMatchObject({
      ok: false,
      issues: [{ path: 'ce_time', message: expect.stringMatching(/^must not be more than 30 days before/) }],
    });
    expect(read({ note: 'a\u0000b' }, binaryHeaders)).toMatchObject({ ok: false, issues: [{ path: 'data.note' }] });
  });
});
