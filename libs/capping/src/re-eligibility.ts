import { addIsoDuration } from '@nudge/timing';

export interface ReEligibilityInput {
  /** The campaign's `reEligibility` duration; absent means every trigger is eligible. */
  period: string | undefined;
  /** The latest of the last send and the last scheduling of this campaign for this user (`campaign_touches`), or null if never. */
  lastTouchedAt: Date | null;
  at: Date;
}

export type ReEligibilityVerdict = { eligible: true } | { eligible: false; reason: string; eligibleAgainAt: Date };

/**
 * Decides whether a user may enter a campaign again: not before `period` has passed since the
 * campaign last sent to or scheduled for them. The period is added calendar-aware in UTC (P1M
 * from 31 January ends on 28/29 February); exactly `period` after the last touch is eligible.
 */
export function reEligibilityVerdict({ period, lastTouchedAt, at }: ReEligibilityInput): ReEligibilityVerdict {
  if (period === undefined || lastTouchedAt === null) return { eligible: true };
  const eligibleAgainAt = addIsoDuration(lastTouchedAt, period);
  if (at.getTime() >= eligibleAgainAt.getTime()) return { eligible: true };
  return {
    eligible: false,
    eligibleAgainAt,
    reason: `not eligible again until ${eligibleAgainAt.toISOString()}: last sent or scheduled ${lastTouchedAt.toISOString()}, re-eligibility ${period}`,
  };
}
