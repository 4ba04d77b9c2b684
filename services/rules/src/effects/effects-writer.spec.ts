import { effects, type DecisionRecord } from '@nudge/engine';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { RecordTraces, ServiceMetrics } from '@nudge/service-runtime';
import type { EntityManager } from 'typeorm';
import { EffectsWriter } from './effects-writer';

const decision: DecisionRecord = {
  userId: 'ana',
  campaignId: 'c1',
  campaignVersion: 1,
  triggerEventId: 'e1',
  stepId: 'main',
  outcome: 'sent',
  reason: 'sent',
  at: new Date('2026-12-03T10:00:00Z'),
  scheduledFor: null,
};

describe('EffectsWriter', () => {
  it('does not give up the transaction while a row is still being written when the publish fails', async () => {
    // The transaction rolls back as soon as write() rejects: any statement issued after that
    // would run outside it. Each statement here takes a few ticks; the publish fails at once.
    const issuedAfterFailure: string[] = [];
    let failed = false;
    const manager = {
      query: async (sql: string) => {
        if (failed) issuedAfterFailure.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
        await new Promise((resolve) => setTimeout(resolve, 5));
        return [];
      },
    } as unknown as EntityManager;
    const producer = { publish: () => Promise.reject(new Error('Kafka is down')) } as unknown as JsonProducer;
    const writer = new EffectsWriter(
      producer,
      { dispatch: 'nudge.dispatch.v1' } as TopicNames,
      new ServiceMetrics('rules'),
      new RecordTraces('rules'),
    );

    const write = writer.write(manager, effects({ decisions: [decision], requests: [] }));
    await expect(write.finally(() => (failed = true))).rejects.toThrow('Kafka is down');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(issuedAfterFailure).toEqual([]);
  });
});
