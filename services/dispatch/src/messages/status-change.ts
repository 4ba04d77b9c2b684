import { MESSAGE_EVENT_NAMES, type DeliveryUpdate, type EventEnvelope, type MessageStatus } from '@nudge/contracts';
import type { StoredMessage } from './message';

/** One status a message reached, at a time: what dispatch tells the rest of Nudge. */
export interface StatusChange {
  message: Pick<StoredMessage, 'id' | 'sendId' | 'userId' | 'campaignId' | 'stepId' | 'channel' | 'provider'>;
  status: MessageStatus;
  at: string;
  reason?: string;
  /** More for the `message_*` event: a reply's text, and its own id (every reply is an event of its own). */
  event?: { id: string; properties: Record<string, unknown> };
}

/** The record of a status change on `nudge.deliveries.v1`. */
export function deliveryUpdateOf(change: StatusChange): DeliveryUpdate {
  const { message } = change;
  return {
    messageId: message.id,
    sendId: message.sendId,
    userId: message.userId,
    campaignId: message.campaignId,
    channel: message.channel,
    provider: message.provider,
    status: change.status,
    at: change.at,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
  };
}

/**
 * The `message_*` event of a status change on `nudge.events.v1` (SPEC §2), or null for a
 * status with no event (queued, expired). Its id derives from the message and status, so a
 * change published twice (a retried batch) is one event to rules.
 */
export function messageEventOf(change: StatusChange): EventEnvelope | null {
  const name = (MESSAGE_EVENT_NAMES as Partial<Record<MessageStatus, string>>)[change.status];
  if (!name) return null;
  const { message } = change;
  return {
    eventId: change.event?.id ?? `${message.id}:${change.status}`,
    userId: message.userId,
    name,
    timestamp: change.at,
    receivedAt: change.at,
    properties: {
      messageId: message.id,
      campaignId: message.campaignId,
      channel: message.channel,
      sendId: message.sendId,
      stepId: message.stepId,
      ...(change.reason === undefined ? {} : { reason: change.reason }),
      ...change.event?.properties,
    },
    context: { source: 'dispatch' },
  };
}
