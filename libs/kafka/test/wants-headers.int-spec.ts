import { EVENT_NAME_HEADER } from '@nudge/contracts';
import { createKafka, ensureTopics, headerText, JsonProducer, startBatchConsumer, TopicNames, type RunningConsumer } from '@nudge/kafka';
import { eventually, readTopic, testKafkaBrokers, uniqueTopicPrefix } from '@nudge/testing';
import { z } from 'zod';

const schema = z.object({ id: z.string(), name: z.string() });
type Value = z.infer<typeof schema>;

describe('a batch consumer that looks at headers before it decodes', () => {
  const names = new TopicNames(uniqueTopicPrefix('wants-headers'));
  const kafka = createKafka({ brokers: testKafkaBrokers().split(','), clientId: 'wants-headers-test', topicPrefix: names.prefix });
  const producer = new JsonProducer(kafka);
  let consumer: RunningConsumer | undefined;

  beforeAll(async () => {
    await ensureTopics(kafka, names, 100);
    await producer.connect();
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(names.prefix));
    await admin.deleteTopics({ topics: ours }).catch(() => undefined);
    await admin.disconnect();
  });

  it('skips a record its header names as unwanted without parsing it, and parses and judges a record without the header', async () => {
    const handled: string[] = [];
    const headersSeen: (string | undefined)[] = [];
    const wanted = (name: string) => name === 'cart_abandoned';
    const named = (name: string) => ({ [EVENT_NAME_HEADER]: name });
    // All on one partition (one key), in this order; the last one tells the test the rest were consumed.
    await producer.publishRaw(names.events, [
      // Unwanted by its header, and not even JSON: skipped without being parsed, so not dead-lettered.
      { key: 'u', value: Buffer.from('{not json'), headers: named('message_sent') },
      // No header (another producer): parsed, then judged by its body's name.
      { key: 'u', value: Buffer.from(JSON.stringify({ id: 'bare-wanted', name: 'cart_abandoned' })), headers: {} },
      { key: 'u', value: Buffer.from(JSON.stringify({ id: 'bare-unwanted', name: 'message_sent' })), headers: {} },
      // Wanted by its header: parsed and handled.
      { key: 'u', value: Buffer.from(JSON.stringify({ id: 'named-wanted', name: 'cart_abandoned' })), headers: named('cart_abandoned') },
      // Not JSON and no header: dead-lettered as before.
      { key: 'u', value: Buffer.from('also not json'), headers: {} },
      { key: 'u', value: Buffer.from(JSON.stringify({ id: 'last', name: 'cart_abandoned' })), headers: named('cart_abandoned') },
    ]);

    consumer = await startBatchConsumer<Value>({
      kafka,
      groupId: `${names.prefix}wants-headers`,
      topics: [names.events],
      schema,
      deadLetters: producer,
      logger: { warn: () => undefined, error: () => undefined },
      wantsHeaders: (headers) => {
        const name = headerText(headers, EVENT_NAME_HEADER);
        headersSeen.push(name);
        return name === undefined || wanted(name);
      },
      wants: (value) => wanted((value as { name: string }).name),
      handle: async (records) => {
        handled.push(...records.map((r) => r.value.id));
      },
    });

    await eventually(() => (handled.includes('last') ? true : undefined), { what: 'the last record handled', timeoutMs: 30_000 });
    expect(handled).toEqual(['bare-wanted', 'named-wanted', 'last']);
    expect(headersSeen).toEqual(['message_sent', undefined, undefined, 'cart_abandoned', undefined, 'cart_abandoned']);
    // Waits (bounded) for a second dead letter that must not come: the skipped record is not one.
    const dead = await readTopic(testKafkaBrokers(), names.dlq(names.events), {
      until: (records) => records.length >= 2,
      timeoutMs: 8_000,
    });
    expect(dead.map((r) => r.value)).toEqual(['also not json']);
  });

  it('runs beforeBatch before judging a fetched batch, and retries it until it succeeds', async () => {
    const topic = names.dispatch; // a topic of its own for this test
    // What `wants` accepts is only learned in beforeBatch (as rules learns a campaign saved elsewhere).
    const accepted = new Set<string>();
    let tries = 0;
    const handled: string[] = [];
    await producer.publishRaw(topic, [
      { key: 'u', value: Buffer.from(JSON.stringify({ id: 'new-kind', name: 'plan_upgraded' })), headers: {} },
    ]);
    const second = await startBatchConsumer<Value>({
      kafka,
      groupId: `${names.prefix}before-batch`,
      topics: [topic],
      schema,
      deadLetters: producer,
      logger: { warn: () => undefined, error: () => undefined },
      isolation: { backoffMs: () => 10 },
      beforeBatch: async () => {
        tries++;
        if (tries === 1) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        accepted.add('plan_upgraded');
      },
      wants: (value) => accepted.has((value as { name: string }).name),
      handle: async (records) => {
        handled.push(...records.map((r) => r.value.id));
      },
    });
    try {
      await eventually(() => (handled.includes('new-kind') ? true : undefined), { what: 'the record handled', timeoutMs: 30_000 });
      expect(tries).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop();
    }
  });
});
