import { createHash } from 'node:crypto';

/**
 * VK's `random_id` for our message: a positive int32 derived from the message id, so a
 * retried send carries the same one and VK does not deliver it twice. Two message ids
 * collide with odds of one in 2^31, which VK's dedup window makes negligible.
 */
export function vkRandomId(messageId: string): number {
  const digest = createHash('sha256').update(messageId).digest();
  return digest.readUInt32BE(0) & 0x7fffffff || 1;
}
