import type { Category, Channel } from '@nudge/contracts';
import { durationToMillis } from '@nudge/timing';

/** One send handed to dispatch, as the cap ledger (`send_ledger`) keeps it for one user. */
export interface LedgerEntry {
  campaignId: string;
  channel: Channel;
  category: Category;
  sentAt: Date;
  /** The send's id, where known: a fallback is not capped by the message it replaces. */
  sendId?: string;
}

/** The message about to be sent to the user whose ledger is checked. */
export interface CapCandidate {
  campaignId: string;
  channel: Channel;
  category: Category;
  at: Date;
}

/** A campaign's own cap (`frequencyCaps` of the campaign): at most `max` of its sends per rolling `per`. */
export interface CampaignFrequencyCap {
  max: number;
  per: string;
}

/** A global cap (`frequencyCaps` of settings): at most `max` sends of a category on a channel per rolling `per`. */
export interface GlobalFrequencyCap {
  category: Category | 'any';
  channel: Channel | 'any';
  max: number;
  per: string;
}

/** Every cap that may apply to one candidate; `userMaxPerWeek` is the profile's `preferences.maxPerWeek`. */
export interface FrequencyCaps {
  campaign: readonly CampaignFrequencyCap[];
  global: readonly GlobalFrequencyCap[];
  userMaxPerWeek?: number;
}

/** The user's preference is "at most N marketing messages per week", counted over the last 7 days. */
const USER_CAP_PERIOD = 'P7D';

/** Which cap was hit; `index` is the global cap's position in settings. */
export type CapDescription =
  | { scope: 'campaign'; campaignId: string; max: number; per: string }
  | ({ scope: 'global'; index: number } & GlobalFrequencyCap)
  | { scope: 'user'; max: number; per: typeof USER_CAP_PERIOD };

export type CapVerdict = { allowed: true } | { allowed: false; cap: CapDescription; sent: number; since: Date; reason: string };

/** A cap that applies to the candidate, with which ledger entries count towards it. */
interface ApplicableCap {
  cap: CapDescription;
  counts: (entry: LedgerEntry) => boolean;
  describe: (sent: number, since: Date) => string;
}

/**
 * Decides whether sending `candidate` now would exceed a frequency cap. Windows are rolling:
 * an entry counts when `sentAt > at − per`, so a send exactly `per` ago no longer counts, and
 * entries later than `at` (another instance's slightly faster clock) count too. A cap is
 * exceeded when the entries counted already reach `max`. The first exceeded cap is reported,
 * in the order campaign caps → global caps (settings order) → the user's weekly limit.
 */
export function capVerdict(candidate: CapCandidate, ledger: readonly LedgerEntry[], caps: FrequencyCaps): CapVerdict {
  for (const { cap, counts, describe } of applicableCaps(candidate, caps)) {
    const since = new Date(candidate.at.getTime() - durationToMillis(cap.per));
    const sent = ledger.filter((entry) => counts(entry) && entry.sentAt.getTime() > since.getTime()).length;
    if (sent >= cap.max) return { allowed: false, cap, sent, since, reason: describe(sent, since) };
  }
  return { allowed: true };
}

/** How far back, in milliseconds, the ledger must reach for `caps` to be checked (0 when there are none). */
export function longestCapWindow(caps: FrequencyCaps): number {
  const periods = [...caps.campaign.map((cap) => cap.per), ...caps.global.map((cap) => cap.per)];
  if (caps.userMaxPerWeek !== undefined) periods.push(USER_CAP_PERIOD);
  return Math.max(0, ...periods.map(durationToMillis));
}

/** The caps that apply to `candidate`, in reporting order: campaign → global (settings order) → user. */
function applicableCaps(candidate: CapCandidate, caps: FrequencyCaps): ApplicableCap[] {
  return [
    ...caps.campaign.map((cap) => campaignCap(cap, candidate.campaignId)),
    ...caps.global.flatMap((cap, index) => (globalCapAppliesTo(cap, candidate) ? [globalCap(cap, index)] : [])),
    ...(caps.userMaxPerWeek !== undefined && candidate.category === 'marketing' ? [userCap(caps.userMaxPerWeek)] : []),
  ];
}

function campaignCap({ max, per }: CampaignFrequencyCap, campaignId: string): ApplicableCap {
  return {
    cap: { scope: 'campaign', campaignId, max, per },
    counts: (entry) => entry.campaignId === campaignId,
    describe: (sent, since) => `capped by campaign cap ${max} per ${per}: ${sent} sent since ${since.toISOString()}`,
  };
}

function globalCap(cap: GlobalFrequencyCap, index: number): ApplicableCap {
  const category = cap.category === 'any' ? 'any-category' : cap.category;
  return {
    cap: { scope: 'global', index, ...cap },
    counts: (entry) => matches(cap.category, entry.category) && matches(cap.channel, entry.channel),
    describe: (sent, since) =>
      `capped by global ${category} cap ${cap.max} per ${cap.per} (channel ${cap.channel}): ${sent} sent since ${since.toISOString()}`,
  };
}

function userCap(max: number): ApplicableCap {
  return {
    cap: { scope: 'user', max, per: USER_CAP_PERIOD },
    counts: (entry) => entry.category === 'marketing',
    describe: (sent, since) => `capped by the user's preference of at most ${max} per week: ${sent} sent since ${since.toISOString()}`,
  };
}

/** Transactional messages are exempt from global caps unless a cap names them (SPEC §5): `any` does not. */
function globalCapAppliesTo(cap: GlobalFrequencyCap, candidate: CapCandidate): boolean {
  const categoryApplies =
    candidate.category === 'transactional' ? cap.category === 'transactional' : matches(cap.category, candidate.category);
  return categoryApplies && matches(cap.channel, candidate.channel);
}

function matches<T extends string>(wanted: T | 'any', actual: T): boolean {
  return wanted === 'any' || wanted === actual;
}
