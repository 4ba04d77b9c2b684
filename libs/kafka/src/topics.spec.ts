import type { Kafka } from 'kafkajs';
import { TopicNames } from './kafka-client';
import { ensureTopics, whileRetriable } from './topics';

/** A kafkajs client whose admin fails `failures` times with `error`, then works. */
function aKafka(failures: number, error: object) {
  let calls = 0;
  const created: string[] = [];
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => created,
    createTopics: async ({ topics }: { topics: { topic: string }[] }) => {
      if (++calls <= failures) throw error;
      created.push(...topics.map((t) => t.topic));
      return true;
    },
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls: () => calls };
}

const notHostedYet = Object.assign(new Error('This server does not host this topic-partition'), { retriable: true });

describe('ensureTopics', () => {
  it('waits out a retriable error of a fresh broker and creates the topics', async () => {
    const { kafka, calls } = aKafka(2, notHostedYet);
    const created = await ensureTopics(kafka, new TopicNames(''), 1);
    expect(calls()).toBe(3);
    expect(created).toContain('nudge.events.v1');
  });

  it('gives up on a retriable error after a bounded number of tries', async () => {
    const { kafka, calls } = aKafka(100, notHostedYet);
    await expect(ensureTopics(kafka, new TopicNames(''), 1)).rejects.toThrow('does not host');
    expect(calls()).toBe(10);
  });

  it('stops at once on an error that will not go away', async () => {
    const { kafka, calls } = aKafka(1, new Error('Topic authorization failed'));
    await expect(ensureTopics(kafka, new TopicNames(''), 1)).rejects.toThrow('authorization');
    expect(calls()).toBe(1);
  });
});

describe('whileRetriable', () => {
  it('answers what the work answers once it stops failing retriably', async () => {
    let calls = 0;
    const answer = await whileRetriable(async () => {
      if (++calls < 3) throw notHostedYet;
      return 'subscribed';
    }, 1);
    expect([answer, calls]).toEqual(['subscribed', 3]);
  });
});
