import { createHash } from 'node:crypto';

/**
 * Whether a user is in a campaign's control group of `percent` %: a stable, deterministic
 * draw from a hash of the campaign and user ids, so the same user is always in the same
 * group of the same campaign, and groups of different campaigns are independent.
 */
export function isHeldOut(userId: string, campaignId: string, percent: number | undefined): boolean {
  if (!percent || percent <= 0) return false;
  const draw = createHash('sha256').update(`${campaignId}\u0000${userId}`).digest().readUInt32BE(0) / 2 ** 32;
  return draw * 100 < percent;
}
