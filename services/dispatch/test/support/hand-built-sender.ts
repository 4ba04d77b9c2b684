import { RecordTraces, ServiceMetrics } from '@nudge/service-runtime';
import { systemClock } from '@nudge/timing';
import type { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DispatchConfig } from '../../src/config';
import { InboundMessagesStore } from '../../src/inbound/inbound-messages.store';
import type { NewMessage } from '../../src/messages/message';
import { MessageStore } from '../../src/messages/message.store';
import { OutboxSignal } from '../../src/outbox/outbox.signal';
import { OutboxStore } from '../../src/outbox/outbox.store';
import { StatusEventsOutbox } from '../../src/outbox/status-events.outbox';
import type { ActiveProviders } from '../../src/providers/active-providers';
import { ProviderBreakers } from '../../src/sending/provider-breakers';
import { ProviderCallTelemetry } from '../../src/sending/provider-call-telemetry';
import { SendMetrics } from '../../src/sending/send-metrics';
import { SendThrottle } from '../../src/sending/send-throttle';
import { SenderService } from '../../src/sending/sender.service';
import { aSendRequest } from './dispatch-stack';

/** A logger that drops everything (the sending tests read metrics and rows, not logs). */
export const silentLogger = { warn: () => undefined, error: () => undefined, info: () => undefined } as unknown as PinoLogger;

/**
 * One dispatch process's sender, built by hand over a test database (its own store, metrics,
 * throttle and, unless given, breakers), as another dispatch process would run it: never
 * started as a loop, the test calls it.
 */
export function aHandBuiltSender(
  dataSource: DataSource,
  config: DispatchConfig,
  providers: ActiveProviders,
  breakers = new ProviderBreakers({ failures: 1_000, probeAfterMs: 60_000 }),
) {
  const store = new MessageStore(dataSource);
  const serviceMetrics = new ServiceMetrics('dispatch');
  const metrics = new SendMetrics(serviceMetrics);
  const throttle = new SendThrottle(systemClock);
  const sender = new SenderService(
    dataSource,
    config,
    systemClock,
    store,
    new StatusEventsOutbox(new OutboxStore(), new OutboxSignal()),
    providers,
    throttle,
    breakers,
    new InboundMessagesStore(dataSource),
    metrics,
    new ProviderCallTelemetry(serviceMetrics, new RecordTraces('dispatch')),
    silentLogger,
  );
  return { sender, store, metrics, throttle, breakers };
}

/** A queued SMS of `userId` for `provider`, its trigger event id made from the user and `event`. */
export function aQueuedMessage(userId: string, event: string, provider: string): NewMessage {
  return {
    id: randomUUID(),
    request: aSendRequest({ userId, triggerEventId: `${userId}-${event}` }),
    provider,
    recipient: '+34600000001',
    body: 'Hi',
    segments: 1,
    links: [],
    status: 'queued',
    failureReason: null,
  };
}
