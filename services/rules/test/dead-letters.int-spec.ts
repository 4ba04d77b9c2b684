import { DLQ_HEADERS } from '@nudge/contracts';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { createRulesApp } from '@nudge/rules';
import { eventually, readTopic, TestStack } from '@nudge/testing';

// The dead letters of rules' own consumer are listed through the API with their error, and a
// replayed letter goes back to its topic (decided there like any event) and is shown as replayed.
describe('GET /v1/dead-letters and POST /v1/dead-letters/replay', () => {
  let stack: TestStack;
  let producer: JsonProducer;
  const rules = () => stack.client('rules');
  const dlq = () => `${stack.topics.events}.dlq`;
  const event = (eventId: string) => ({
    eventId,
    userId: 'val',
    name: 'app_opened',
    timestamp: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    properties: {},
    context: {},
  });

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'dead-letters' });
    producer = new JsonProducer(createKafka({ brokers: [stack.brokers], clientId: 'dead-letters-test', topicPrefix: '' }));
    await producer.connect();
    const campaign = { name: 'Opened', trigger: { event: 'app_opened' }, message: { channel: 'sms', body: 'Hi' } };
    expect((await rules().put('/v1/campaigns/opened', campaign)).status).toBe(200);
    // A record rules' consumer cannot read: it writes the dead letter (offset 0) itself.
    await producer.publish(stack.topics.events, [{ key: 'val', value: { eventId: 'no-user', name: 'app_opened' } }]);
    await eventually(
      async () => ((await readTopic(stack.brokers, dlq(), { until: (r) => r.length >= 1 })).length >= 1 ? true : undefined),
      {
        what: 'the first dead letter',
      },
    );
    // A good event dead-lettered by a handler that failed (offset 1), and one that does not say where it came from (offset 2).
    await producer.publishRaw(dlq(), [
      {
        key: 'val',
        value: Buffer.from(JSON.stringify(event('replay-me'))),
        headers: {
          [DLQ_HEADERS.error]: 'handler failed: connection terminated',
          [DLQ_HEADERS.errorKind]: 'handler_failed',
          [DLQ_HEADERS.sourceTopic]: stack.topics.events,
          [DLQ_HEADERS.sourcePartition]: '1',
          [DLQ_HEADERS.sourceOffset]: '9',
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
      { key: 'val', value: Buffer.from('x'.repeat(5_000)), headers: { [DLQ_HEADERS.errorKind]: 'invalid_json' } },
    ]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack?.stop();
  });

  it("lists a topic's dead letters oldest first with the error, the field it names, the source and the value", async () => {
    const { status, body } = await rules().get('/v1/dead-letters?topic=events');
    expect(status).toBe(200);
    expect(body).toMatchObject({ topic: dlq(), sourceTopic: stack.topics.events, nextCursor: null });
    expect(body.items.map((l: { offset: string }) => l.offset)).toEqual(['0', '1', '2']);
    expect(body.items[0]).toMatchObject({
      partition: 0,
      key: 'val',
      errorKind: 'invalid_schema',
      error: 'schema violation: userId: Required',
      source: { topic: stack.topics.events, partition: expect.any(Number), offset: expect.any(String) },
      value: JSON.stringify({ eventId: 'no-user', name: 'app_opened' }),
      valueTruncated: false,
      replayed: null,
    });
    expect(Date.parse(body.items[0].timestamp)).toBeGreaterThan(Date.now() - 120_000);
    expect(body.items[2]).toMatchObject({ source: null, valueBytes: 5_000, valueTruncated: true });
    expect(body.items[2].value).toHaveLength(4_096);
  });

  it('pages by cursor, and takes the DLQ by its full name too', async () => {
    const first = await rules().get(`/v1/dead-letters?topic=${dlq()}&limit=2`);
    expect(first.body.items.map((l: { offset: string }) => l.offset)).toEqual(['0', '1']);
    expect(first.body.nextCursor).toBe('0:2');
    const second = await rules().get(`/v1/dead-letters?topic=${dlq()}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((l: { offset: string }) => l.offset)).toEqual(['2']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('replays a letter to its topic, where it is decided, and lists it as replayed', async () => {
    const { status, body } = await rules().post('/v1/dead-letters/replay', { topic: 'events', partition: 0, offset: '1' });
    expect(status).toBe(200);
    expect(body).toEqual({ topic: dlq(), replayed: [{ partition: 0, offset: '1', to: stack.topics.events }], skipped: [] });
    const decision = await eventually(
      async () =>
        (await rules().get('/v1/users/val/decisions')).body.items.find((d: { triggerEventId: string }) => d.triggerEventId === 'replay-me'),
      { what: 'the decision of the replayed event' },
    );
    expect(decision).toMatchObject({ campaignId: 'opened' });
    const replayed = await readTopic(stack.brokers, stack.topics.events, { until: (r) => r.some((x) => x.headers['nudge-replayed-from']) });
    expect(replayed.find((r) => r.headers['nudge-replayed-from'])?.headers['nudge-replayed-from']).toBe(`${dlq()}[0]@1`);

    const again = await rules().post('/v1/dead-letters/replay', {
      topic: dlq(),
      letters: [
        { partition: 0, offset: 1 },
        { partition: 0, offset: 2 },
      ],
    });
    expect(again.body).toMatchObject({
      replayed: [{ offset: '1' }],
      skipped: [{ offset: '2', reason: expect.stringContaining('no source topic') }],
    });
    const { body: list } = await rules().get('/v1/dead-letters?topic=events');
    expect(list.items.map((l: { replayed: unknown }) => l.replayed)).toEqual([
      null,
      { by: 'api', at: expect.any(String), to: stack.topics.events, times: 2 },
      null,
    ]);
  });

  it('answers 404 for a letter that is not there, and publishes nothing of that request', async () => {
    const { status, body } = await rules().post('/v1/dead-letters/replay', {
      topic: 'events',
      letters: [
        { partition: 0, offset: 0 },
        { partition: 0, offset: 99 },
      ],
    });
    expect([status, body.error.code]).toEqual([404, 'not_found']);
    expect((await rules().post('/v1/dead-letters/replay', { topic: 'events', partition: 7, offset: 0 })).status).toBe(404);
    const { body: list } = await rules().get('/v1/dead-letters?topic=events');
    expect(list.items[0].replayed).toBeNull();
  });

  it.each([
    ['GET', '/v1/dead-letters?topic=orders', undefined, 'query.topic'],
    ['GET', '/v1/dead-letters', undefined, 'query.topic'],
    ['GET', '/v1/dead-letters?topic=events&limit=0', undefined, 'query.limit'],
    ['GET', '/v1/dead-letters?topic=events&cursor=abc', undefined, 'query.cursor'],
    ['POST', '/v1/dead-letters/replay', { topic: 'orders.dlq', partition: 0, offset: 1 }, 'topic'],
    ['POST', '/v1/dead-letters/replay', { topic: 'events', offset: 1 }, 'partition'],
    ['POST', '/v1/dead-letters/replay', { topic: 'events', partition: 0, offset: -1 }, 'offset'],
    [
      'POST',
      '/v1/dead-letters/replay',
      {
        topic: 'events',
        letters: [
          { partition: 0, offset: 0 },
          { partition: 0, offset: 5000 },
        ],
      },
      'letters',
    ],
  ])('%s %s %j is a 400 naming %s', async (method, path, body, field) => {
    const response = await rules().request(method, path, body);
    expect(response.status).toBe(400);
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });
});
