import { createRulesApp } from '@nudge/rules';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { eventually, TestStack } from '@nudge/testing';
import { Client } from 'pg';

// processed_events: an event Kafka delivers again (a replay, a rebalance, a retried batch) is
// decided once, whether the copy comes in the same batch or a later one. The users' locks and
// the processed_events insert are one statement: the insert waits for the locks.
describe('rules and a redelivered event', () => {
  let stack: TestStack;
  let producer: JsonProducer;
  let db: Client;

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'redelivery' });
    producer = new JsonProducer(createKafka({ brokers: [stack.brokers], clientId: 'redelivery-test', topicPrefix: '' }));
    await producer.connect();
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    const campaign = { name: 'c', trigger: { event: 'app_opened' }, message: { channel: 'sms', body: 'Hi' } };
    expect((await stack.client('rules').put('/v1/campaigns/opened', campaign)).status).toBe(200);
  });

  afterAll(async () => {
    await db?.end();
    await producer?.disconnect();
    await stack?.stop();
  });

  it('decides an event once however often it arrives', async () => {
    const event = (eventId: string) => ({
      eventId,
      userId: 'rex',
      name: 'app_opened',
      timestamp: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      properties: {},
      context: {},
    });
    // The same event twice in one batch, then again later, with a new one after it.
    await producer.publish(stack.topics.events, [
      { key: 'rex', value: event('once-1') },
      { key: 'rex', value: event('once-1') },
    ]);
    await eventually(async () => ((await stack.client('rules').get('/v1/users/rex/decisions')).body.items.length >= 1 ? true : undefined));
    await producer.publish(stack.topics.events, [
      { key: 'rex', value: event('once-1') },
      { key: 'rex', value: event('once-2') },
    ]);
    await eventually(async () =>
      (await stack.client('rules').get('/v1/users/rex/decisions')).body.items.some(
        (d: { triggerEventId: string }) => d.triggerEventId === 'once-2',
      )
        ? true
        : undefined,
    );
    const { rows } = await db.query(
      `SELECT trigger_event_id, count(*)::int AS n FROM decisions WHERE user_id = 'rex' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { trigger_event_id: 'once-1', n: 1 },
      { trigger_event_id: 'once-2', n: 1 },
    ]);
    expect((await db.query(`SELECT event_id FROM processed_events WHERE event_id LIKE 'once-%' ORDER BY 1`)).rows).toEqual([
      { event_id: 'once-1' },
      { event_id: 'once-2' },
    ]);
  });
});
