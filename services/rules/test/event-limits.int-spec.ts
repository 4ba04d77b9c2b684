import { DLQ_HEADERS } from '@nudge/contracts';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { createRulesApp } from '@nudge/rules';
import { eventually, readTopic, TestStack } from '@nudge/testing';

const DAY = 24 * 60 * 60 * 1000;

let deep: Record<string, unknown> = {};
for (let level = 1; level < 20; level++) deep = { d: deep };

/** A valid envelope of `app_opened` for `quinn`, which a campaign triggers on. */
function anEnvelope(eventId: string) {
  const now = new Date().toISOString();
  return { eventId, userId: 'quinn', name: 'app_opened', timestamp: now, receivedAt: now, properties: {}, context: {} };
}

// Records produced straight into the events topic, past ingest: each fault, and the field its dead letter must name.
const FAULTS: [string, string, Record<string, unknown>][] = [
  ['NUL in a property', 'properties.note', { properties: { note: 'a\u0000b' } }],
  ['300 keys in properties', 'properties', { properties: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])) }],
  ['properties nested 20 deep', 'properties.d.d.d.d.d.d.d.d', { properties: deep }],
  ['a control character in userId', 'userId', { userId: 'quinn\u001b' }],
  ['40 KB of properties', 'properties', { properties: { blob: 'x'.repeat(40 * 1024) } }],
  ['a timestamp 31 days before its receivedAt', 'timestamp', { timestamp: new Date(Date.now() - 31 * DAY).toISOString() }],
];

describe('rules: records past the input limits', () => {
  let stack: TestStack;
  let producer: JsonProducer;

  beforeAll(async () => {
    stack = await TestStack.start({ factories: { rules: createRulesApp }, label: 'event-limits' });
    producer = new JsonProducer(createKafka({ brokers: [stack.brokers], clientId: 'event-limits-test', topicPrefix: '' }));
    await producer.connect();
    const campaign = { name: 'c', trigger: { event: 'app_opened' }, message: { channel: 'sms', body: 'Hi' } };
    expect((await stack.client('rules').put('/v1/campaigns/opened', campaign)).status).toBe(200);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack?.stop();
  });

  it('dead-letters each record with the field in the reason, and decides the good event after them', async () => {
    const faulty = FAULTS.map(([, , fault], i) => ({ key: 'quinn', value: { ...anEnvelope(`bad-${i}`), ...fault } }));
    await producer.publish(stack.topics.events, [...faulty, { key: 'quinn', value: anEnvelope('good-1') }]);

    const decision = await eventually(async () => (await stack.client('rules').get('/v1/users/quinn/decisions')).body.items[0]);
    expect(decision).toMatchObject({ triggerEventId: 'good-1', campaignId: 'opened' });
    const decisions = (await stack.client('rules').get('/v1/users/quinn/decisions')).body.items;
    expect(decisions.map((d: { triggerEventId: string }) => d.triggerEventId)).toEqual(['good-1']);

    const dead = await readTopic(stack.brokers, stack.topics.dlq(stack.topics.events), {
      until: (records) => records.length >= FAULTS.length,
    });
    expect(dead.map((r) => r.value.eventId)).toEqual(FAULTS.map((_, i) => `bad-${i}`));
    dead.forEach((letter, i) => {
      expect(letter.headers[DLQ_HEADERS.errorKind]).toBe('invalid_schema');
      expect(letter.headers[DLQ_HEADERS.error]).toContain(`schema violation: ${FAULTS[i]![1]}: `);
    });
  });
});
