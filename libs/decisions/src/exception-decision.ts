import type { CompiledCampaign } from '@nudge/campaigns';
import type { EventEnvelope } from '@nudge/contracts';
import { isDeepStrictEqual } from 'node:util';

/** The parts of an event an exception check looks at. */
export type ExceptionEvent = Pick<EventEnvelope, 'eventId' | 'name' | 'timestamp' | 'properties'>;

export interface Cancellation {
  exception: ExceptionEvent;
  reason: string;
}

/**
 * The first of `candidates` that cancels a send of `campaign` started by `trigger`: one of
 * the campaign's `exceptions`, for the same user, that happened after the trigger and no
 * later than the send (`sendAt`, or now for a send still pending), and whose `match`
 * properties equal the trigger's (`{ cartId: cartId }`: exception.cartId == trigger.cartId).
 * Times are the events' own timestamps, so events that arrive out of order still count.
 */
export function findCancellation(
  campaign: CompiledCampaign,
  trigger: ExceptionEvent,
  candidates: readonly ExceptionEvent[],
  sendAt: Date,
): Cancellation | null {
  const triggeredAt = Date.parse(trigger.timestamp);
  for (const rule of campaign.document.exceptions ?? []) {
    for (const exception of candidates) {
      if (exception.name !== rule.event) continue;
      const at = Date.parse(exception.timestamp);
      if (at <= triggeredAt || at > sendAt.getTime()) continue;
      if (!propertiesMatch(rule.match ?? {}, exception, trigger)) continue;
      return { exception, reason: describe(rule.match ?? {}, exception, trigger) };
    }
  }
  return null;
}

function propertiesMatch(match: Record<string, string>, exception: ExceptionEvent, trigger: ExceptionEvent): boolean {
  return Object.entries(match).every(([exceptionKey, triggerKey]) => {
    const value = exception.properties[exceptionKey];
    return value !== undefined && isDeepStrictEqual(value, trigger.properties[triggerKey]);
  });
}

function describe(match: Record<string, string>, exception: ExceptionEvent, trigger: ExceptionEvent): string {
  const matched = Object.entries(match).map(([e, t]) => `${e}=${JSON.stringify(exception.properties[e])} matches trigger ${t}`);
  const detail = matched.length > 0 ? ` (${matched.join(', ')})` : '';
  return `cancelled by ${exception.name} ${exception.eventId} at ${exception.timestamp}, after the trigger ${trigger.eventId} at ${trigger.timestamp}${detail}`;
}
