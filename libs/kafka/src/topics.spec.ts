import type { Kafka } from 'kafkajs';
import { TopicNames } from './kafka-client';
import { ensureTopics, topicPlan, whileRetriable } from './topics';

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

describe('topicPlan', () => {
  const names = new TopicNames('');

  it('keeps records of the topics that carry bodies 7 days by default: the dispatch topic and every DLQ', () => {
    const retention = new Map(
      topicPlan(names).map((t) => [t.topic, t.configEntries?.find((entry) => entry.name === 'retention.ms')?.value]),
    );
    const week = String(7 * 24 * 60 * 60 * 1000);
    expect(retention.get(names.dispatch)).toBe(week);
    for (const topic of [names.events, names.profiles, names.dispatch, names.deliveries])
      expect(retention.get(names.dlq(topic))).toBe(week);
    expect(retention.get(names.events)).toBeUndefined();
  });

  it('takes the retention it is given', () => {
    const dispatch = topicPlan(names, { bodyRetentionMs: 3_600_000 }).find((t) => t.topic === names.dispatch);
    expect(dispatch?.configEntries).toEqual([{ name: 'retention.ms', value: '3600000' }]);
  });

  it('compacts the profiles topic, so an erasure tombstone removes the last profile', () => {
    const profiles = topicPlan(names).find((t) => t.topic === names.profiles);
    expect(profiles?.configEntries).toEqual([{ name: 'cleanup.policy', value: 'compact' }]);
  });
});
