import { ConfigResourceTypes, ConfigSource, type Admin, type IResourceConfig, type ITopicConfig, type Kafka } from 'kafkajs';
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
 * Creates the missing topics of the plan, and sets the planned `retention.ms` on existing ones
 * whose value differs (so a changed NUDGE_BODY_TOPIC_RETENTION_MS applies at the next start). Services that
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
 * Creates the topics of `plan` that are missing (a service's own extra topics: ingest's intake
 * topics and their DLQs), and aligns `retention.ms` where the plan sets it, as `ensureTopics` does.
 */
export async function ensureTopicPlan(kafka: Kafka, plan: ITopicConfig[], backoffMs = CREATE_BACKOFF_MS): Promise<string[]> {
  return whileRetriable(() => createMissingTopics(kafka, plan), backoffMs);
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
    await alignRetention(
      admin,
      plan.filter((t) => existing.has(t.topic)),
    );
    return missing.map((t) => t.topic);
  } catch (error) {
    // Two services starting together race to create the same topics; that one is fine.
    if (error instanceof Error && /already exists/i.test(error.message)) return [];
    throw error;
  } finally {
    await admin.disconnect();
  }
}

const RETENTION = 'retention.ms';

/**
 * Sets `retention.ms` where an existing topic's differs from the plan's. Kafka's AlterConfigs
 * replaces a topic's whole set of overrides, so the topic's other overrides are sent again as
 * they are (cleanup.policy and any an operator set).
 */
async function alignRetention(admin: Admin, existing: ITopicConfig[]): Promise<void> {
  const wanted = new Map(
    existing.flatMap((t) => t.configEntries?.filter((e) => e.name === RETENTION).map((e) => [t.topic, e.value] as const) ?? []),
  );
  if (wanted.size === 0) return;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [...wanted.keys()].map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const changes: IResourceConfig[] = [];
  for (const resource of described.resources) {
    const value = wanted.get(resource.resourceName);
    const current = resource.configEntries.find((e) => e.configName === RETENTION)?.configValue;
    if (value === undefined || current === value) continue;
    const overrides = resource.configEntries
      .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && e.configName !== RETENTION && !e.isSensitive)
      .map((e) => ({ name: e.configName, value: e.configValue }));
    changes.push({
      type: ConfigResourceTypes.TOPIC,
      name: resource.resourceName,
      configEntries: [...overrides, { name: RETENTION, value }],
    });
  }
  if (changes.length > 0) await admin.alterConfigs({ validateOnly: false, resources: changes });
}

/** kafkajs marks errors worth another try (no leader yet, topic not yet known) as retriable. */
function isRetriable(error: unknown): boolean {
  const { retriable, errors } = (error ?? {}) as { retriable?: unknown; errors?: unknown };
  if (retriable === true) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isRetriable);
}
