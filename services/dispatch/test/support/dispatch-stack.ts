import { createDispatchApp } from '@nudge/dispatch';
import { deriveSendId, type SendRequest } from '@nudge/contracts';
import { createKafka, JsonProducer } from '@nudge/kafka';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { eventually, readTopic, TestStack, type ReadRecord } from '@nudge/testing';
import type { DataSource } from 'typeorm';
import type { DispatchAppOptions } from '../../src/dispatch.module';
import { ActiveProviders } from '../../src/providers/active-providers';

/** Dispatch alone on the run's Kafka, with a producer standing in for rules. */
export interface DispatchHarness {
  stack: TestStack;
  rules: JsonProducer;
  stop(): Promise<void>;
}

export async function startDispatch(
  label: string,
  env: Record<string, string> = {},
  options: DispatchAppOptions = {},
): Promise<DispatchHarness> {
  const stack = await TestStack.start({ factories: { dispatch: (appEnv) => createDispatchApp(appEnv, options) }, label, env });
  const rules = new JsonProducer(
    createKafka({ brokers: stack.brokers.split(','), clientId: `${label}-rules`, topicPrefix: stack.topics.prefix }),
  );
  await rules.connect();
  return {
    stack,
    rules,
    stop: async () => {
      await rules.disconnect();
      await stack.stop();
    },
  };
}

/** Saves a settings document as rules does, and waits until dispatch builds its providers from it. */
export async function saveSettings(harness: DispatchHarness, document: Record<string, unknown>): Promise<void> {
  const app = harness.stack.app('dispatch');
  const rows: { version: number }[] = await app.get<symbol, DataSource>(DATA_SOURCE).query(
    `INSERT INTO settings (id, version, document, source, checksum) VALUES (1, 1, $1::jsonb, 'test', md5($1::text))
     ON CONFLICT (id) DO UPDATE SET version = settings.version + 1, document = EXCLUDED.document, checksum = EXCLUDED.checksum
     RETURNING version`,
    [document],
  );
  const version = rows[0]?.version;
  await eventually(() => (app.get(ActiveProviders).current().version === version ? true : undefined), {
    what: `dispatch to apply settings v${version}`,
  });
}

/** Publishes send requests on the dispatch topic as rules does, keyed by userId. */
export function publishSendRequests(harness: DispatchHarness, ...requests: SendRequest[]): Promise<void> {
  return harness.rules.publish(
    harness.stack.topics.dispatch,
    requests.map((request) => ({ key: request.userId, value: request })),
  );
}

/** A send request as rules would publish it for a cart-abandon SMS. */
export function aSendRequest(options: {
  userId: string;
  triggerEventId: string;
  body?: string;
  to?: string;
  channel?: SendRequest['channel'];
}): SendRequest {
  const at = '2026-11-23T10:00:00.000Z';
  const campaignId = 'cart-abandon-sms';
  return {
    sendId: deriveSendId({ campaignId, triggerEventId: options.triggerEventId, stepId: 'main' }),
    campaignId,
    campaignVersion: 1,
    category: 'marketing',
    stepId: 'main',
    userId: options.userId,
    triggerEventId: options.triggerEventId,
    decidedAt: at,
    channel: options.channel ?? 'sms',
    to: options.to ?? '+34600000001',
    message: {
      sender: 'ACME',
      body: options.body ?? 'Hi {{ profile.attributes.firstName }}, your cart of {{ event.properties.cartValue }} € is waiting',
    },
    scope: {
      event: {
        eventId: options.triggerEventId,
        userId: options.userId,
        name: 'cart_abandoned',
        timestamp: at,
        receivedAt: at,
        properties: { cartId: 'c9', cartValue: 129.9 },
        context: {},
      },
      profile: { userId: options.userId, attributes: { firstName: 'Ana' } },
      campaign: { id: campaignId, name: 'Abandoned cart nudge', version: 1 },
    },
  };
}

export interface MessageItem {
  id: string;
  sendId: string;
  campaignId: string;
  userId: string;
  channel: string;
  provider: string;
  to: string;
  body: string | null;
  segments: number | null;
  status: string;
  statusHistory: { status: string; at: string }[];
  failureReason: string | null;
  triggerEventId: string;
  createdAt: string;
}

/** The user's messages once one for `triggerEventId` has reached `status`. */
export async function messageReaching(
  harness: DispatchHarness,
  userId: string,
  triggerEventId: string,
  status: string,
  timeoutMs?: number,
): Promise<MessageItem> {
  return eventually(
    async () => {
      const { body } = await harness.stack
        .client('dispatch')
        .get<{ items: MessageItem[] }>(`/v1/messages?userId=${encodeURIComponent(userId)}&limit=500`);
      return body.items.find((m) => m.triggerEventId === triggerEventId && m.status === status);
    },
    { what: `a ${status} message for ${userId} / ${triggerEventId}`, timeoutMs },
  );
}

export async function messagesOf(harness: DispatchHarness, userId: string): Promise<MessageItem[]> {
  const { body } = await harness.stack
    .client('dispatch')
    .get<{ items: MessageItem[] }>(`/v1/messages?userId=${encodeURIComponent(userId)}`);
  return body.items;
}

/** The `message_*` events published so far, read until `until` holds for them. */
export async function messageEvents(harness: DispatchHarness, until: (events: ReadRecord[]) => boolean): Promise<ReadRecord[]> {
  const events = await readTopic(harness.stack.brokers, harness.stack.topics.events, { until, timeoutMs: 20_000 });
  if (!until(events)) throw new Error(`the events topic never held what was expected; read ${JSON.stringify(events.map((e) => e.value))}`);
  return events;
}

export const hasEvent = (name: string, messageId: string) => (events: ReadRecord[]) =>
  events.some((e) => e.value?.name === name && e.value?.properties?.messageId === messageId);
