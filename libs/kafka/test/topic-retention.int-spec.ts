import { createKafka, ensureTopics, TopicNames } from '@nudge/kafka';
import { eventually, testKafkaBrokers, uniqueTopicPrefix } from '@nudge/testing';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';

/**
 * Waits until the topic-level settings of `topic` match `expected`: a broker answers
 * DescribeConfigs from its metadata cache, which follows a config change a moment later.
 */
async function overridesReach(kafka: Kafka, topic: string, expected: Record<string, string>): Promise<void> {
  await eventually(
    async () => {
      expect(await overridesOf(kafka, topic)).toMatchObject(expected);
      return true;
    },
    { what: `${topic} to have ${JSON.stringify(expected)}`, timeoutMs: 10_000 },
  );
}

/** The topic-level settings of `topic` that differ from the broker's defaults. */
async function overridesOf(kafka: Kafka, topic: string): Promise<Record<string, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    return Object.fromEntries((resources[0]?.configEntries ?? []).filter((e) => !e.isDefault).map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

describe('retention of the topics that carry bodies, on the real broker', () => {
  const names = new TopicNames(uniqueTopicPrefix('retention'));
  const kafka = createKafka({ brokers: testKafkaBrokers().split(','), clientId: 'retention-test', topicPrefix: names.prefix });

  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    const ours = (await admin.listTopics()).filter((topic) => topic.startsWith(names.prefix));
    await admin.deleteTopics({ topics: ours }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the dispatch topic and the DLQs with retention.ms, the profiles topic compacted', async () => {
    await ensureTopics(kafka, names, 100, { bodyRetentionMs: 3_600_000 });
    await overridesReach(kafka, names.dispatch, { 'retention.ms': '3600000' });
    await overridesReach(kafka, names.dlq(names.events), { 'retention.ms': '3600000' });
    await overridesReach(kafka, names.profiles, { 'cleanup.policy': 'compact' });
    expect(await overridesOf(kafka, names.events)).not.toHaveProperty('retention.ms');
  });

  it('moves existing topics to a changed retention and keeps their other overrides', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: names.dispatch,
          configEntries: [
            { name: 'retention.ms', value: '3600000' },
            { name: 'max.message.bytes', value: '2000000' },
          ],
        },
      ],
    });
    await admin.disconnect();
    await overridesReach(kafka, names.dispatch, { 'retention.ms': '3600000', 'max.message.bytes': '2000000' });

    await ensureTopics(kafka, names, 100, { bodyRetentionMs: 7_200_000 });
    await overridesReach(kafka, names.dispatch, { 'retention.ms': '7200000', 'max.message.bytes': '2000000' });
    await overridesReach(kafka, names.dlq(names.dispatch), { 'retention.ms': '7200000' });
    await overridesReach(kafka, names.profiles, { 'cleanup.policy': 'compact' });
  });
});
