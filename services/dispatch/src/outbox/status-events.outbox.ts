import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StatusChange } from '../messages/status-change';
import { outboxRecordsOf } from './outbox-records';
import { OutboxSignal } from './outbox.signal';
import { OutboxStore } from './outbox.store';

/**
 * Where status changes go: their DeliveryUpdates and `message_*` events are written to the
 * outbox in the transaction that writes the statuses, so a status and its events commit or
 * roll back together and nothing waits on Kafka. The relay publishes them once committed.
 */
@Injectable()
export class StatusEventsOutbox {
  constructor(
    private readonly store: OutboxStore,
    private readonly signal: OutboxSignal,
  ) {}

  /**
   * Writes the changes' records in the caller's transaction, then `eventsOnly` (events that
   * are not changes: a reply to a message already `replied`); then call `committed()`.
   */
  add(manager: EntityManager, changes: StatusChange[], eventsOnly: StatusChange[] = []): Promise<void> {
    return this.store.add(manager, outboxRecordsOf(changes, eventsOnly));
  }

  /** Wakes the relay: the transaction that added records has committed. */
  committed(): void {
    this.signal.ring();
  }
}
