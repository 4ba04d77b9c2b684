import { BrokerPartition, eventually, testKafkaBrokers, type TestStack } from '@nudge/testing';
import { eventsBeforeMarker, postMarker, startIngest } from './support/ingest-stack';

// The broker is lost to ingest alone (a partition in this process) while a consent change is
// published: the request answers 503 and rolls back, kafkajs may still deliver its events late.
describe('ingest: a consent change retried after a lost publish is one event', () => {
  let stack: TestStack;
  let partition: BrokerPartition;

  beforeAll(async () => {
    partition = await BrokerPartition.install(testKafkaBrokers());
    stack = await startIngest('ingest-consent-retry', { INGEST_PUBLISH_TIMEOUT_MS: '1500' });
  });

  afterAll(async () => {
    await partition?.uninstall();
    await stack?.stop();
  });

  it('publishes consent_granted under one event id however often the PUT is retried, and records the change once', async () => {
    const ingest = stack.client('ingest');
    const grant = { channels: { sms: { address: '+34600000201', consent: { marketing: true } } } };
    expect((await ingest.put('/v1/users/retried', { attributes: { firstName: 'Rita' } })).status).toBe(200);

    partition.lose();
    expect((await ingest.put('/v1/users/retried', grant)).status).toBe(503);
    partition.heal();
    const put = await eventually(
      async () => {
        const answer = await ingest.put('/v1/users/retried', grant);
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the retried consent change to succeed once the broker is back' },
    );
    expect(put.body).toMatchObject({ version: 2 });

    const records = await eventsBeforeMarker(stack, 'retried', await postMarker(ingest, 'retried'));
    const granted = records.filter((r) => r.value?.name === 'consent_granted');
    expect(granted.length).toBeGreaterThanOrEqual(1);
    expect(new Set(granted.map((r) => r.value.eventId)).size).toBe(1);
    const { body } = await ingest.get('/v1/users/retried/consent');
    expect(body.changes.map((c: { eventId: string }) => c.eventId)).toEqual([granted[0]?.value.eventId]);
  });
});
