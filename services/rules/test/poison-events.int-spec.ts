import { EVENT_NAME_HEADER } from '@nudge/contracts';
import { createRulesApp } from '@nudge/rules';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { eventually, readTopic, TestStack } from '@nudge/testing';

// A record rules cannot read, or whose handling throws, goes to the DLQ with the error, and
// the next one on its partition is decided.
describe('rules and poison records', () => {
  let stack: TestStack;
  let producer: JsonProducer;

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'poison' });
    producer = new JsonProducer(createKafka({ brokers: [stack.brokers], clientId: 'poison-test', topicPrefix: '' }));
    await producer.connect();
    const campaign = { name: 'c', trigger: { event: 'app_opened' }, message: { channel: 'sms', body: 'Hi' } };
    expect((await stack.client('rules').put('/v1/campaigns/opened', campaign)).status).toBe(200);
    const waited = { ...campaign, trigger: { event: 'cart_abandoned' }, delay: 'PT1H', exceptions: [{ event: 'order_placed' }] };
    expect((await stack.client('rules').put('/v1/campaigns/waited', waited)).status).toBe(200);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack?.stop();
  });

  it('dead-letters a non-JSON and a schema-invalid record and goes on', async () => {
    await producer.publishRaw(stack.topics.events, [{ key: 'pat', value: Buffer.from('{not json'), headers: {} }]);
    // Named in its header as an event no campaign wants: skipped before it is parsed, so not
    // dead-lettered although it is not JSON (a producer that names events vouches for them).
    await producer.publishRaw(stack.topics.events, [
      { key: 'pat', value: Buffer.from('{not json either'), headers: { [EVENT_NAME_HEADER]: 'message_delivered' } },
    ]);
    // No userId: the one field of SPEC §3 nothing can fill in (eventId, receivedAt, context can).
    await producer.publish(stack.topics.events, [{ key: 'pat', value: { eventId: 'no-user', name: 'app_opened' } }]);
    const good = {
      eventId: 'good-1',
      userId: 'pat',
      name: 'app_opened',
      timestamp: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      properties: {},
      context: {},
    };
    // No name header (any producer may write events): parsed, and decided by its body's name.
    await producer.publish(stack.topics.events, [{ key: 'pat', value: good }]);

    const decision = await eventually(async () => (await stack.client('rules').get('/v1/users/pat/decisions')).body.items[0]);
    expect(decision).toMatchObject({ triggerEventId: 'good-1', campaignId: 'opened' });

    // Waits (bounded) for a third dead letter that must not come.
    const dead = await readTopic(stack.brokers, `${stack.topics.events}.dlq`, {
      until: (records) => records.length >= 3,
      timeoutMs: 8_000,
    });
    expect(dead).toHaveLength(2);
    expect(dead.map((r) => r.headers['nudge-error-kind']).sort()).toEqual(['invalid_json', 'invalid_schema']);
    expect(dead[1]?.headers['nudge-error']).toBe('schema violation: userId: Required');
    expect(dead.every((r) => r.key === 'pat')).toBe(true);
  });

  it('dead-letters an event whose handling breaks a database constraint, and decides the events after it within seconds', async () => {
    // Year 0 passes the schema (an ISO date-time, its timestamp at its receivedAt) but
    // Postgres cannot store it as the exception event's timestamptz: evaluation throws.
    const yearZero = '0000-01-01T00:00:00Z';
    const poison = { ...envelope('poison-1', 'order_placed'), timestamp: yearZero, receivedAt: yearZero };
    const nul = { ...envelope('nul-1', 'app_opened'), properties: { note: 'a\u0000b', cartValue: 150 } };
    await producer.publish(stack.topics.events, [
      { key: 'sam', value: poison },
      { key: 'sam', value: nul },
      { key: 'sam', value: envelope('after-1', 'app_opened') },
    ]);
    const started = Date.now();

    const decision = await eventually(async () => (await stack.client('rules').get('/v1/users/sam/decisions')).body.items[0], {
      timeoutMs: 20_000,
    });
    expect(decision).toMatchObject({ triggerEventId: 'after-1', campaignId: 'opened' });
    expect(Date.now() - started).toBeLessThan(15_000);

    const dead = await readTopic(stack.brokers, `${stack.topics.events}.dlq`, {
      until: (records) => records.filter((r) => r.key === 'sam').length >= 2,
    });
    const sams = dead.filter((r) => r.key === 'sam');
    const failed = sams.find((r) => r.headers['nudge-error-kind'] === 'handler_failed');
    expect(failed?.headers).toMatchObject({
      'nudge-error': expect.stringMatching(/out of range/),
      'nudge-source-topic': stack.topics.events,
      'nudge-source-partition': expect.stringMatching(/^\d+$/),
      'nudge-source-offset': expect.stringMatching(/^\d+$/),
    });
    expect(failed?.value).toMatchObject({ eventId: 'poison-1' });
    expect(sams.find((r) => r.headers['nudge-error-kind'] === 'invalid_schema')?.headers['nudge-error']).toMatch(/NUL/);

    const metrics = (await stack.client('rules').get('/metrics')).body as string;
    expect(metrics).toMatch(/nudge_dlq_records_total\{[^}]*topic="[^"]*nudge\.events\.v1"[^}]*kind="handler_failed"[^}]*\} 1/);
  });

  it("never takes other partitions' events to the DLQ with a poisoned one", async () => {
    const users = Array.from({ length: 12 }, (_, i) => `crowd-${i}`);
    const yearZero = '0000-01-01T00:00:00Z';
    await producer.publish(stack.topics.events, [
      { key: 'rita', value: { ...envelope('poison-2', 'order_placed', 'rita'), timestamp: yearZero, receivedAt: yearZero } },
      ...users.map((user) => ({ key: user, value: envelope(`crowd-${user}`, 'app_opened', user) })),
    ]);

    for (const user of users) {
      await eventually(async () => (await stack.client('rules').get(`/v1/users/${user}/decisions`)).body.items[0]);
    }
    const dead = await readTopic(stack.brokers, `${stack.topics.events}.dlq`, {
      until: (records) => records.some((r) => r.key === 'rita'),
    });
    expect(dead.filter((r) => r.key === 'rita' || users.includes(r.key ?? '')).map((r) => r.key)).toEqual(['rita']);
  });
});

function envelope(eventId: string, name: string, userId = 'sam') {
  const now = new Date().toISOString();
  return { eventId, userId, name, timestamp: now, receivedAt: now, properties: {}, context: {} };
}
