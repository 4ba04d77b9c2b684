import { createHash } from 'node:crypto';
import { z } from 'zod';
import { channelSchema } from './profile';
import { isoDateTime } from './date-time';
import { eventEnvelopeSchema } from './event';

/** The step id of a single-message campaign's only message. */
export const MAIN_STEP = 'main';

/**
 * The id of one send: the same (campaign, trigger event, step) always yields the same id,
 * which is what makes a send exactly-once however often it is retried or replayed.
 */
export function deriveSendId(parts: { campaignId: string; triggerEventId: string; stepId: string }): string {
  return stableId('snd', [parts.campaignId, parts.triggerEventId, parts.stepId]);
}

/** The id of the journey run a trigger event starts: one run per (campaign, trigger event). */
export function deriveRunId(parts: { campaignId: string; triggerEventId: string }): string {
  return stableId('run', [parts.campaignId, parts.triggerEventId]);
}

/** `<prefix>_` and 32 hex digits of the SHA-256 of the parts: the same parts, the same id. */
function stableId(prefix: string, parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/** A send decided by rules, published on `nudge.dispatch.v1` (keyed by userId). */
export const sendRequestSchema = z.object({
  sendId: z.string().min(1),
  campaignId: z.string().min(1),
  campaignVersion: z.number().int().positive(),
  category: z.enum(['marketing', 'transactional']),
  stepId: z.string().min(1),
  userId: z.string().min(1),
  triggerEventId: z.string().min(1),
  decidedAt: isoDateTime(),
  channel: channelSchema,
  to: z.string().min(1),
  message: z.object({
    sender: z.string().optional(),
    body: z.string(),
    subject: z.string().optional(),
  }),
  /**
   * A fallback chain: if the message is not `read` within `after`, dispatch sends it on
   * the first of `channels` the user can still receive (only one channel in flight).
   */
  fallback: z.object({ channels: z.array(channelSchema).min(1), after: z.string().min(1) }).optional(),
  /** What the template sees: the trigger event, the profile at decision time, the campaign. */
  scope: z.object({
    event: eventEnvelopeSchema,
    profile: z.record(z.unknown()),
    campaign: z.object({ id: z.string(), name: z.string().optional(), version: z.number() }).passthrough(),
  }),
});

export type SendRequest = z.infer<typeof sendRequestSchema>;
