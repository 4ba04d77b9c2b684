import { Logger } from '@nestjs/common';
import { ServiceUnavailableError, ValidationError } from '@nudge/contracts';
import { TopicNames, type JsonProducer, type OutgoingRecord } from '@nudge/kafka';
import { ServiceMetrics } from '@nudge/service-runtime';
import { loadIngestConfig } from '../config';
import { EventsService } from './events.service';

class RecordingProducer {
  readonly calls: { topic: string; records: OutgoingRecord[] }[] = [];
  failWith: Error | null = null;

  async publish(topic: string, records: OutgoingRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.calls.push({ topic, records });
  }

  publishWithin(topic: string, records: OutgoingRecord[]): Promise<void> {
    return this.publish(topic, records);
  }
}

function anEventsService() {
  const producer = new RecordingProducer();
  const metrics = new ServiceMetrics('ingest');
  const service = new EventsService(producer as unknown as JsonProducer, new TopicNames('t.'), loadIngestConfig({}), metrics);
  const counted = async (result: string) =>
    (await metrics.registry.getSingleMetric('nudge_ingest_events_total')!.get()).values.find((v) => v.labels.result === result)?.value;
  return { service, producer, counted };
}

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: `u${i % 7}`, name: 'app_opened' }));

describe('EventsService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('publishes a whole batch in one producer call, keyed by userId', async () => {
    const { service, producer, counted } = anEventsService();
    expect(await service.acceptBatch({ events: events(500) })).toBe(500);
    expect(producer.calls).toHaveLength(1);
    expect(producer.calls[0]!.topic).toBe('t.nudge.events.v1');
    expect(producer.calls[0]!.records.every((r) => r.key === (r.value as { userId: string }).userId)).toBe(true);
    expect(await counted('accepted')).toBe(500);
  });

  it('publishes nothing of a batch with an invalid event and counts all of it rejected', async () => {
    const { service, producer, counted } = anEventsService();
    await expect(service.acceptBatch({ events: [...events(3), { name: 'x' }] })).rejects.toBeInstanceOf(ValidationError);
    expect(producer.calls).toHaveLength(0);
    expect(await counted('rejected')).toBe(4);
  });

  it('answers Kafka failures as ServiceUnavailableError, not a 500', async () => {
    const { service, producer, counted } = anEventsService();
    producer.failWith = new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    await expect(service.acceptOne({ userId: 'u1', name: 'x' })).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(await counted('unavailable')).toBe(1);
    expect(await counted('accepted')).toBe(0);
  });
});
