import type { Kafka, ITopicConfig } from 'kafkajs';
import type { TopicNames } from './kafka-client';

/** Partition counts: keyed topics get room for several consumers; DLQs are low-volume. */
const KEYED_PARTITIONS = 6;

/** How long topics that carry message bodies and addresses keep a record, unless configured: 7 days. */
export const DEFAULT_BODY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export interface TopicPlanOptions {
  /** `retention.ms` of the dispatch topic and of every DLQ (they carry bodies, addresses, event properties). */
  bodyRetentionMs?: number;
}

/**
 * The topics of SPEC §2 with their settings: the profiles topic is compacted (an erasure's
 * tombstone removes the user's last profile at the next compaction); the dispatch topic and
 * the DLQs, which carry rendered bodies and addresses, keep records `bodyRetentionMs` only.
 */
export function topicPlan(names: TopicNames, options: TopicPlanOptions = {}): ITopicConfig[] {
  const retention = { name: 'retention.ms', value: String(options.bodyRetentionMs ?? DEFAULT_BODY_RETENTION_MS) };
  const keyed = [names.events, names.profiles, names.dispatch, names.deliveries];
  const configOf = (topic: string) => {
    if (topic === names.profiles) return [{ name: 'cleanup.policy', value: 'compact' }];
    return topic === names.dispatch ? [retention] : [];
  };
  return [
    ...keyed.map((topic) => ({ topic, numPartitions: KEYED_PARTITIONS, replicationFactor: -1, configEntries: configOf(topic) })),
    ...keyed.map((topic) => ({ topic: names.dlq(topic), numPartitions: 1, replicationFactor: -1, configEntries: [retention] })),
  ];
}

/** How often topic creation is tried when the broker answers with a retriable error. */
const CREATE_ATTEMPTS = 10;
const CREATE_BACKOFF_MS = 300;

/**
 * Creates the missing topics of the plan; existing ones are left as they are (their settings
 * included: see the README for changing an existing topic's retention). Services that
 * start together on a fresh broker race to create the same topics, and one may be told, while
 * another's creation settles, that a partition has no leader yet ("This server does not host
 * this topic-partition", retriable): that is waited out (bounded), not a reason to stop.
 */
export async function ensureTopics(
  kafka: Kafka,
  names: TopicNames,
  backoffMs = CREATE_BACKOFF_MS,
  options: TopicPlanOptions = {},
): Promise<string[]> {
  return whileRetriable(() => createMissingTopics(kafka, topicPlan(names, options)), backoffMs);
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

async function createMissingTopics(kafka: Kafka, plan: ITopicConfig[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = plan.filter((t) => !existing.has(t.topic));
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
