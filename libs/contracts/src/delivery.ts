import { isoDateTime } from './date-time';
import { channelSchema } from './profile';
import { idSchema } from './text-limits';
import { z } from 'zod';

/**
 * `unknown`: a provider call may have happened but its result was never recorded (dispatch
 * stopped mid-call, or the provider did not answer after the request left); see README
 * "Unknown outcomes".
 */
export const MESSAGE_STATUSES = ['queued', 'sent', 'delivered', 'read', 'clicked', 'replied', 'failed', 'expired', 'unknown'] as const;
export const messageStatusSchema = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** A message status change, published on `nudge.deliveries.v1` (keyed by userId). */
export const deliveryUpdateSchema = z.object({
  messageId: idSchema,
  sendId: idSchema,
  userId: idSchema,
  campaignId: idSchema,
  channel: channelSchema,
  provider: z.string(),
  status: messageStatusSchema,
  at: isoDateTime(),
  reason: z.string().optional(),
});
export type DeliveryUpdate = z.infer<typeof deliveryUpdateSchema>;
