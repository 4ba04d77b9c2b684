import {
  FALLBACK_DUE_EVENT,
  fallbackDuePropertiesSchema,
  fallbackSendId,
  MESSAGE_EVENT_NAMES,
  SEEN_STATUSES,
  type EventEnvelope,
  type FallbackDue,
  type MessageStatus,
} from '@nudge/contracts';

/** The message status events that cancel a fallback: the recipient saw the message. */
const SEEN_EVENTS: ReadonlyMap<string, MessageStatus> = new Map([
  [MESSAGE_EVENT_NAMES.read, 'read'],
  [MESSAGE_EVENT_NAMES.clicked, 'clicked'],
  [MESSAGE_EVENT_NAMES.replied, 'replied'],
]);

/** What a batch of events says about fallback chains. */
export interface FallbackNews {
  /** Fallback steps to decide now (by the step's send id), with the status dispatch saw. */
  due: Map<string, MessageStatus>;
  /** Send ids of messages the recipient saw, with the status: their fallbacks are cancelled. */
  seen: Map<string, MessageStatus>;
  /** The users these events are about. */
  userIds: string[];
}

/**
 * Reads dispatch's `fallback_due` events and the message events that show a message was seen.
 * A `fallback_due` whose properties are not dispatch's shape is ignored: it names no step.
 */
export function fallbackNewsOf(events: readonly EventEnvelope[]): FallbackNews {
  const news: FallbackNews = { due: new Map(), seen: new Map(), userIds: [] };
  for (const event of events) {
    if (event.name === FALLBACK_DUE_EVENT) {
      const parsed = fallbackDuePropertiesSchema.safeParse(event.properties);
      if (!parsed.success) continue;
      addDue(news, parsed.data);
      news.userIds.push(event.userId);
      continue;
    }
    const status = SEEN_EVENTS.get(event.name);
    const sendId = event.properties.sendId;
    if (status && typeof sendId === 'string') {
      news.seen.set(sendId, status);
      news.userIds.push(event.userId);
    }
  }
  return news;
}

function addDue(news: FallbackNews, due: FallbackDue): void {
  // Seen by the time its fallback came (read just before): nothing to decide, the step goes.
  if (SEEN_STATUSES.has(due.status)) news.seen.set(due.sendId, due.status);
  else news.due.set(fallbackSendId(due, due.channels), due.status);
}
