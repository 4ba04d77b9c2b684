import { Inject, Injectable } from '@nestjs/common';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE, PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { topicBatchesOf } from './outbox-records';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxStore } from './outbox.store';

/**
 * Publishes the outbox: in one transaction, take the relay's turn → lock the oldest records
 * (one batch) → publish them with one producer call → delete them → commit. A failed publish
 * rolls back and leaves the records for the next try; a crash after the publish and before
 * the commit publishes them again (at-least-once: consumers dedupe by event id).
 */
@Injectable()
export class OutboxRelay {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly store: OutboxStore,
    private readonly metrics: OutboxMetrics,
  ) {}

  /** Publishes up to one batch; answers how many records it published (0 also while another relay has the turn). */
  async relayBatch(): Promise<number> {
    const published = await inTransaction(this.dataSource, async (manager) => {
      if (!(await this.store.takeRelayTurn(manager))) return [];
      const records = await this.store.oldest(manager, this.config.DISPATCH_OUTBOX_BATCH_SIZE);
      if (records.length === 0) return [];
      await this.producer.publishMany(topicBatchesOf(records, this.topics));
      await this.store.remove(
        manager,
        records.map((r) => r.seq),
      );
      return records;
    });
    this.metrics.published.inc(published.length);
    return published.length;
  }
}
