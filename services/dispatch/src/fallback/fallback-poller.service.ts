import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventEnvelope, MessageStatus, SendRequest } from '@nudge/contracts';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { inTransaction, returnedRows } from '@nudge/persistence';
import { DATA_SOURCE, PollLoop, PRODUCER, TOPICS } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK } from '../clock';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { fallbackObservation, type FallbackCandidate } from './fallback-observation';

const BATCH = 200;

/**
 * Fallback chains (`channel: [whatsapp, sms]`, `fallbackAfter`): when a message's fallback
 * time comes — or it failed or expired — dispatch reports what it sees to rules as a
 * `fallback_due` event on the events topic (keyed by user), and rules decides the fallback
 * like any send. Dispatch chooses no channel. Claimed with SKIP LOCKED and published before
 * the claim commits, so a crash re-publishes at worst; the event id derives from the message,
 * and rules wakes a fallback step once. A message still queued (retrying) is left until it
 * settles: one channel in flight.
 */
@Injectable()
export class FallbackPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('fallback');
  private readonly loop: PollLoop;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DISPATCH_CONFIG) config: DispatchConfig,
  ) {
    this.loop = new PollLoop({
      work: () => this.fallBackDue(),
      batchSize: BATCH,
      pollMs: config.DISPATCH_FALLBACK_POLL_MS,
      retryMs: config.DISPATCH_FALLBACK_POLL_MS,
      logger: this.logger,
      what: 'fallback check',
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Handles one batch of due fallbacks; returns how many messages it claimed. */
  async fallBackDue(): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const due = await claimDueFallbacks(manager, now);
      if (due.length === 0) return 0;
      const observations = due.flatMap((candidate) => fallbackObservation(candidate, now) ?? []);
      await this.producer.publish(
        this.topics.events,
        observations.map((event: EventEnvelope) => ({ key: event.userId, value: event })),
      );
      return due.length;
    });
  }
}

/** Takes the messages whose fallback is due (or that failed) off the fallback schedule. */
async function claimDueFallbacks(manager: EntityManager, now: Date): Promise<FallbackCandidate[]> {
  const rows = returnedRows<{ id: string; status: MessageStatus; request: SendRequest }>(
    await manager.query(
      `UPDATE messages SET fallback_at = NULL WHERE id IN (
         SELECT id FROM messages
         WHERE fallback_at IS NOT NULL AND status <> 'queued' AND (fallback_at <= $1 OR status IN ('failed', 'expired'))
         ORDER BY fallback_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ) RETURNING id, status, request`,
      [now.toISOString(), BATCH],
    ),
  );
  return rows.map((r) => ({ messageId: r.id, status: r.status, request: r.request }));
}
