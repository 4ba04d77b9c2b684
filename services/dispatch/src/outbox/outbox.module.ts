import { Module } from '@nestjs/common';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxRelayLoop } from './outbox-relay.loop';
import { OutboxSignal } from './outbox.signal';
import { OutboxRelay } from './outbox.relay';
import { OutboxStore } from './outbox.store';
import { StatusEventsOutbox } from './status-events.outbox';

/** Status events written with their statuses, and the relay that publishes them to Kafka (one per dispatch process). */
@Module({
  providers: [OutboxStore, OutboxSignal, OutboxMetrics, OutboxRelay, OutboxRelayLoop, StatusEventsOutbox],
  exports: [StatusEventsOutbox, OutboxStore],
})
export class OutboxModule {}
