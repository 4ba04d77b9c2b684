import type { Kafka, ITopicConfig } from 'kafkajs';
import type { TopicNames } from './kafka-client';

/** Partition counts: keyed topics get room for several consumers; DLQs are low-volume. */
const KEYED_PARTITIONS = 6;

/** The topics of SPEC §2 with their settings; the profiles topic is compacted. */
export function topicPlan(names: TopicNames): ITopicConfig[] {
  const keyed = [names.events, names.profiles, names.dispatch, names.deliveries];
  return [
    ...keyed.map((topic) => ({
      topic,
      numPartitions: KEYED_PARTITIONS,
      replicationFactor: -1,
      configEntries: topic === names.profiles ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    })),
    ...keyed.map((topic) => ({ topic: names.dlq(topic), numPartitions: 1, replicationFactor: -1 })),
  ];
}

/** Creates the missing topics of the plan; existing ones are left as they are. */
export async function ensureTopics(kafka: Kafka, names: TopicNames): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topicPlan(names).filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
    return missing.map((t) => t.topic);
  } catch (error) {
    // Two services starting together race to create the same topics; that one is fine.
    if (error instanceof Error && /already exists/i.test(error.message)) return [];
    throw error;
  } finally {
    await admin.disconnect();
  }
}
