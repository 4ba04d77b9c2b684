import { DLQ_HEADERS } from '@nudge/contracts';
import { createKafka, ensureTopics, JsonProducer, TopicNames } from '@nudge/kafka';
import { readTopic } from '@nudge/testing';
import { randomBytes } from 'node:crypto';
import { main } from '../src/main';

const BROKERS = process.env.KAFKA_BROKERS ?? 'localhost:9092';

async function run(...args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(['node', 'nudge', ...args], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out };
}

// Dead letters as the consumers write them are listed, replayed to their source topic once,
// and a second replay says there is nothing new.
describe('nudge dlq', () => {
  const prefix = `cli-dlq-${randomBytes(4).toString('hex')}.`;
  const names = new TopicNames(prefix);
  const kafka = createKafka({ brokers: [BROKERS], clientId: 'cli-dlq-test', topicPrefix: prefix });
  const producer = new JsonProducer(kafka);
  const stack = ['--brokers', BROKERS, '--prefix', prefix];

  beforeAll(async () => {
    await ensureTopics(kafka, names);
    await producer.connect();
    const poisoned = { eventId: 'e-1', userId: 'ana', name: 'order_placed' };
    await producer.publishRaw(names.dlq(names.events), [
      {
        key: 'ana',
        value: Buffer.from(JSON.stringify(poisoned)),
        headers: {
          [DLQ_HEADERS.error]: 'handler failed: date/time field value out of range',
          [DLQ_HEADERS.errorKind]: 'handler_failed',
          [DLQ_HEADERS.sourceTopic]: names.events,
          [DLQ_HEADERS.sourcePartition]: '2',
          [DLQ_HEADERS.sourceOffset]: '17',
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
      { key: 'bo', value: Buffer.from('{not json'), headers: { [DLQ_HEADERS.errorKind]: 'invalid_json' } },
    ]);
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  it('lists the dead letters with their error, source and value', async () => {
    const { code, out } = await run('dlq', 'list', 'events', ...stack);
    expect(code).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^offset 0 \\(partition 0\\)  key ana  from ${names.events.replaceAll('.', '\\.')}\\[2\\]@17`));
    expect(out[1]).toBe('  handler_failed: handler failed: date/time field value out of range');
    expect(out[2]).toBe('  value: {"eventId":"e-1","userId":"ana","name":"order_placed"}');
    expect(out.at(-1)).toBe(`2 dead letters in ${names.dlq(names.events)} (offsets 0–1)`);

    const limited = await run('dlq', 'list', 'events', ...stack, '--from-offset', '1', '--limit', '1');
    expect(limited.out.at(-1)).toBe(`1 dead letter in ${names.dlq(names.events)} (offset 1)`);
  });

  it('replays them to their source topic once, and says what it did each time', async () => {
    const first = await run('dlq', 'replay', 'events', ...stack);
    expect(first.code).toBe(0);
    expect(first.out).toContain('skipped offset 1: no source topic header, cannot tell where it belongs');
    expect(first.out.at(-1)).toBe(`replayed 1 dead letter from ${names.dlq(names.events)} (offsets 0–1), skipped 1`);

    const replayed = await readTopic(BROKERS, names.events, { until: (records) => records.length >= 1 });
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ key: 'ana', value: { eventId: 'e-1' } });
    expect(replayed[0]?.headers['nudge-replayed-from']).toBe(`${names.dlq(names.events)}[0]@0`);

    const second = await run('dlq', 'replay', 'events', ...stack);
    expect(second.out).toEqual([
      'letters before offset 2 were replayed already (--from-offset 0 replays them again)',
      `replayed 0 dead letters from ${names.dlq(names.events)}, skipped 0`,
    ]);
    expect((await run('dlq', 'list', 'events', ...stack)).out.at(-1)).toMatch(/; replayed before offset 2$/);
  });

  it('says so when the stack has no such dead-letter topic', async () => {
    const { code, out } = await run('dlq', 'list', 'events', '--brokers', BROKERS, '--prefix', `${prefix}none.`);
    expect(code).toBe(1);
    expect(out).toEqual([`no dead-letter topic ${prefix}none.nudge.events.v1.dlq on these brokers (is --prefix right?)`]);
  });
});
