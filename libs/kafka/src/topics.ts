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

/** How often topic creation is tried when the broker answers with a retriable error. */
const CREATE_ATTEMPTS = 10;
const CREATE_BACKOFF_MS = 300;

/**
 * Creates the missing topics of the plan; existing ones are left as they are. Services that
 * start together on a fresh broker race to create the same topics, and one may be told, while
 * another's creation settles, that a partition has no leader yet ("This server does not host
 * this topic-partition", retriable): that is waited out (bounded), not a reason to stop.
 */
export async function ensureTopics(kafka: Kafka, names: TopicNames, backoffMs = CREATE_BACKOFF_MS): Promise<string[]> {
  return whileRetriable(() => createMissingTopics(kafka, names), backoffMs);
}

/**
 * Runs `work` again while it fails with an error kafkajs marks retriable, a bounded number of
 * times with a growing pause: what a fresh broker says about topics it is still setting up.
 */
export async function whileRetriable<T>(work: () => Promise<T>, backoffMs = CREATE_BACKOFF_MS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetriable(error) || attempt >= CREATE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs * attempt));
    }
  }
}

async function createMissingTopics(kafka: Kafka, names: TopicNames): Promise<string[]> {
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

/** kafkajs marks errors worth another try (no leader yet, topic not yet known) as retriable. */
function isRetriable(error: unknown): boolean {
  const { retriable, errors } = (error ?? {}) as { retriable?: unknown; errors?: unknown };
  if (retriable === true) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isRetriable);
}
