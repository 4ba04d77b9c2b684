import { EVENT_NAME_HEADER } from '@nudge/contracts';
import type { TestStack } from '@nudge/testing';
import { eventsBeforeMarker, postMarker, startIngest } from './support/ingest-stack';

describe('ingest: events', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startIngest('ingest-events');
  });

  afterAll(() => stack?.stop());

  it('publishes exactly the envelopes it accepted, keyed by userId', async () => {
    const ingest = stack.client('ingest');
    // An hour ago, written at +01:00: within NUDGE_MAX_EVENT_AGE whenever the test runs.
    const anHourAgo = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    const withEverything = {
      eventId: 'e-full',
      userId: 'ana',
      name: 'cart_abandoned',
      timestamp: `${new Date(anHourAgo.getTime() + 3_600_000).toISOString().slice(0, 19)}+01:00`,
      properties: { cartId: 'c9', cartValue: 129.9, currency: 'EUR' },
      context: { source: 'web' },
    };
    const batch = await ingest.post('/v1/events/batch', {
      events: [withEverything, { userId: 'ana', name: 'app_opened' }, { eventId: 'e-bea', userId: 'bea', name: 'purchase' }],
    });
    expect(batch).toMatchObject({ status: 202, body: { accepted: 3 } });
    const single = await ingest.post('/v1/events', {
      eventId: 'e-single',
      userId: 'ana',
      name: 'location',
      properties: { lat: 40.4, lon: -3.7 },
    });
    expect(single).toMatchObject({ status: 202, body: { accepted: 1 } });

    const forAna = await eventsBeforeMarker(stack, 'ana', await postMarker(ingest, 'ana'));
    const forBea = await eventsBeforeMarker(stack, 'bea', await postMarker(ingest, 'bea'));

    const [full, generated, location] = forAna.map((r) => r.value);
    expect(forAna).toHaveLength(3);
    expect(full).toEqual({ ...withEverything, timestamp: anHourAgo.toISOString(), receivedAt: expect.any(String) });
    expect(generated).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      userId: 'ana',
      name: 'app_opened',
      timestamp: full.receivedAt,
      receivedAt: full.receivedAt,
      properties: {},
      context: {},
    });
    expect(location).toMatchObject({ eventId: 'e-single', name: 'location', properties: { lat: 40.4, lon: -3.7 } });
    expect(forBea.map((r) => r.value)).toEqual([expect.objectContaining({ eventId: 'e-bea', userId: 'bea', name: 'purchase' })]);
    // Each record names its event in a header: rules skips the ones it does not want unparsed.
    expect([...forAna, ...forBea].map((r) => r.headers[EVENT_NAME_HEADER])).toEqual([
      'cart_abandoned',
      'app_opened',
      'location',
      'purchase',
    ]);
  });

  it('publishes an eventId repeated inside one batch once and counts it once', async () => {
    const ingest = stack.client('ingest');
    const event = { eventId: 'e-dup', userId: 'carla', name: 'cart_abandoned' };
    const posted = await ingest.post('/v1/events/batch', {
      events: [event, { ...event, name: 'renamed' }, { ...event, eventId: 'e-other' }],
    });
    expect(posted).toMatchObject({ status: 202, body: { accepted: 2 } });

    const published = await eventsBeforeMarker(stack, 'carla', await postMarker(ingest, 'carla'));
    expect(published.map((r) => [r.value.eventId, r.value.name])).toEqual([
      ['e-dup', 'cart_abandoned'],
      ['e-other', 'cart_abandoned'],
    ]);
  });

  it('answers 400 naming the invalid event of a batch and publishes none of the batch', async () => {
    const ingest = stack.client('ingest');
    const events = Array.from({ length: 5 }, (_, i) => ({ eventId: `bad-batch-${i}`, userId: 'dora', name: 'app_opened' }));
    events[3] = { ...events[3]!, timestamp: '23/11/2026' } as (typeof events)[number];

    const posted = await ingest.post('/v1/events/batch', { events });
    expect(posted.status).toBe(400);
    expect(posted.body.error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'events[3].timestamp', message: expect.any(String) }],
    });

    expect(await eventsBeforeMarker(stack, 'dora', await postMarker(ingest, 'dora'))).toEqual([]);
  });

  it('answers 400 invalid_json to malformed JSON', async () => {
    const posted = await stack.client('ingest').request('POST', '/v1/events/batch', undefined, {}, '{"events": [{"userId": "u1",');
    expect(posted.status).toBe(400);
    expect(posted.body.error.code).toBe('invalid_json');
  });

  it.each([
    ['a JSON array', { 'content-type': 'application/json' }, '[{"userId": "u1", "name": "x"}]'],
    ['text without a JSON content type', { 'content-type': 'text/plain' }, '{"userId": "u1", "name": "x"}'],
  ])('answers 400 naming the body when it is %s', async (_case, headers, raw) => {
    const posted = await stack.client('ingest').request('POST', '/v1/events', undefined, headers, raw);
    expect(posted.status).toBe(400);
    expect(posted.body.error.details).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });

  it('answers 400 naming events when a batch holds more than 1000 events', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({ userId: `u${i}`, name: 'x' }));
    const posted = await stack.client('ingest').post('/v1/events/batch', { events });
    expect(posted.status).toBe(400);
    expect(posted.body.error.details).toEqual([{ path: 'events', message: expect.stringContaining('1000') }]);
  });

  it("answers 413 when one user's events are larger than Kafka accepts, and publishes nothing", async () => {
    const ingest = stack.client('ingest');
    // Each event within its 32 KB, the batch of one user (one partition) over the broker's 1 MB.
    const events = Array.from({ length: 40 }, () => ({ userId: 'emma', name: 'upload', properties: { blob: 'x'.repeat(31 * 1024) } }));
    const posted = await ingest.post('/v1/events/batch', { events });
    expect(posted.status).toBe(413);
    expect(posted.body.error.code).toBe('payload_too_large');
    expect(await eventsBeforeMarker(stack, 'emma', await postMarker(ingest, 'emma'))).toEqual([]);
  });
});
