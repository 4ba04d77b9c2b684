import { createRulesApp } from '@nudge/rules';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { eventually, readTopic, TestStack } from '@nudge/testing';

// A record rules cannot read goes to the DLQ with the error, and the next one is decided.
describe('rules and poison records', () => {
  let stack: TestStack;
  let producer: JsonProducer;

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'poison' });
    producer = new JsonProducer(createKafka({ brokers: [stack.brokers], clientId: 'poison-test', topicPrefix: '' }));
    await producer.connect();
    const campaign = { name: 'c', trigger: { event: 'app_opened' }, message: { channel: 'sms', body: 'Hi' } };
    expect((await stack.client('rules').put('/v1/campaigns/opened', campaign)).status).toBe(200);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack?.stop();
  });

  it('dead-letters a non-JSON and a schema-invalid record and goes on', async () => {
    await producer.publishRaw(stack.topics.events, [{ key: 'pat', value: Buffer.from('{not json'), headers: {} }]);
    await producer.publish(stack.topics.events, [{ key: 'pat', value: { userId: 'pat', name: 'app_opened' } }]);
    const good = {
      eventId: 'good-1',
      userId: 'pat',
      name: 'app_opened',
      timestamp: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      properties: {},
      context: {},
    };
    await producer.publish(stack.topics.events, [{ key: 'pat', value: good }]);

    const decision = await eventually(async () => (await stack.client('rules').get('/v1/users/pat/decisions')).body.items[0]);
    expect(decision).toMatchObject({ triggerEventId: 'good-1', campaignId: 'opened' });

    const dead = await readTopic(stack.brokers, `${stack.topics.events}.dlq`, { until: (records) => records.length >= 2 });
    expect(dead).toHaveLength(2);
    expect(dead.map((r) => r.headers['nudge-error-kind']).sort()).toEqual(['invalid_json', 'invalid_schema']);
    expect(dead[1]?.headers['nudge-error']).toMatch(/eventId/);
    expect(dead.every((r) => r.key === 'pat')).toBe(true);
  });
});
