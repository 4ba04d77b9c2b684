import { createRulesApp } from '@nudge/rules';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { userLockKey } from '@nudge/persistence';
import { eventually, TestStack } from '@nudge/testing';
import { Client } from 'pg';

// /health reports a consumer whose partition has records waiting and has not advanced for
// NUDGE_CONSUMER_STALL_SECONDS, and is healthy again once it moves.
describe('rules health and a stalled consumer', () => {
  let stack: TestStack;
  let producer: JsonProducer;
  let holder: Client;

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'stall', env: { NUDGE_CONSUMER_STALL_SECONDS: '1' } });
    producer = new JsonProducer(createKafka({ brokers: [stack.brokers], clientId: 'stall-test', topicPrefix: '' }));
    await producer.connect();
    holder = new Client({ connectionString: stack.database.url });
    await holder.connect();
    const campaign = { name: 'c', trigger: { event: 'app_opened' }, message: { channel: 'sms', body: 'Hi' } };
    expect((await stack.client('rules').put('/v1/campaigns/opened', campaign)).status).toBe(200);
  });

  afterAll(async () => {
    await holder?.end();
    await producer?.disconnect();
    await stack?.stop();
  });

  it('answers 503 naming the partition while evaluation cannot advance, and 200 once it does', async () => {
    // Evaluation waits for the user's advisory lock, which this session holds.
    await holder.query(`SELECT pg_advisory_lock(${userLockKey('$1::text')})`, ['stuck']);
    const now = new Date().toISOString();
    const event = { eventId: 'stuck-1', userId: 'stuck', name: 'app_opened', timestamp: now, receivedAt: now, properties: {}, context: {} };
    await producer.publish(stack.topics.events, [{ key: 'stuck', value: event }]);

    const down = await eventually(async () => {
      const health = await stack.client('rules').get('/health');
      return health.status === 503 ? health : undefined;
    });
    expect(down.body).toMatchObject({
      error: { consumers: { status: 'down', thresholdSeconds: 1, stalled: [{ topic: stack.topics.events, lag: 1 }] } },
      info: { database: { status: 'up' }, kafka: { status: 'up' } },
    });
    expect(down.body.auth).toBe('off');

    await holder.query(`SELECT pg_advisory_unlock(${userLockKey('$1::text')})`, ['stuck']);
    const decision = await eventually(async () => (await stack.client('rules').get('/v1/users/stuck/decisions')).body.items[0]);
    expect(decision).toMatchObject({ triggerEventId: 'stuck-1' });
    const up = await eventually(async () => {
      const health = await stack.client('rules').get('/health');
      return health.status === 200 ? health : undefined;
    });
    expect(up.body).toMatchObject({ status: 'ok', info: { consumers: { status: 'up' } }, auth: 'off' });
  });
});
