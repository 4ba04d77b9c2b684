import { z } from 'zod';
import { messageStatusSchema } from './delivery';
import type { EventEnvelope } from './event';
import { CHANNELS, channelSchema, type Channel } from './profile';
import { deriveSendId } from './send-request';
import { idSchema, printableText } from './text-limits';

/**
 * The event dispatch publishes on `nudge.events.v1` when a message of a fallback chain reached
 * its fallback time (or failed, or expired): what it saw, never what to do. Rules decides the
 * fallback send from it like any send (consent, suppressions, window, country rules, caps).
 * An extension of SPEC §2's list of the events dispatch publishes.
 */
export const FALLBACK_DUE_EVENT = 'fallback_due';

/** Statuses that show the recipient saw the message: its fallback is never sent. */
export const SEEN_STATUSES: ReadonlySet<string> = new Set(['read', 'clicked', 'replied']);

/** The `properties` of a `fallback_due` event. */
export const fallbackDuePropertiesSchema = z.object({
  /** The message whose fallback time came, and its send. */
  messageId: idSchema,
  sendId: idSchema,
  campaignId: idSchema,
  campaignVersion: z.number().int().positive(),
  triggerEventId: idSchema,
  stepId: idSchema,
  channel: channelSchema,
  /** Its status then: `read`, `clicked` or `replied` means no fallback. */
  status: messageStatusSchema,
  /** The campaign's `fallbackAfter` the message was sent with. */
  after: printableText(64),
  /** The rest of the chain, in order. */
  channels: z.array(channelSchema).min(1).max(CHANNELS.length),
});
export type FallbackDue = z.infer<typeof fallbackDuePropertiesSchema>;

/**
 * The step id of the fallback of a message sent at `stepId` with `remaining` channels left:
 * `main>sms`. Fixed before any channel is chosen (it names the chain's next place, whichever
 * channel the decision then takes), so the fallback's send id is one however often it is decided.
 */
export function fallbackStepId(stepId: string, remaining: readonly Channel[]): string {
  return `${stepId}>${remaining[0] ?? 'end'}`;
}

/** The send id of the fallback of a message: derived like every send id (campaign, trigger event, step). */
export function fallbackSendId(
  sent: { campaignId: string; triggerEventId: string; stepId: string },
  remaining: readonly Channel[],
): string {
  return deriveSendId({ campaignId: sent.campaignId, triggerEventId: sent.triggerEventId, stepId: fallbackStepId(sent.stepId, remaining) });
}

/**
 * The `fallback_due` event of one message. Its id derives from the message, so dispatch
 * publishing it twice (a claim rolled back after the publish) is one event to rules.
 */
export function fallbackDueEvent(userId: string, due: FallbackDue, at: Date): EventEnvelope {
  return {
    eventId: `${due.messageId}:${FALLBACK_DUE_EVENT}`,
    userId,
    name: FALLBACK_DUE_EVENT,
    timestamp: at.toISOString(),
    receivedAt: at.toISOString(),
    properties: { ...due },
    context: { source: 'dispatch' },
  };
}
