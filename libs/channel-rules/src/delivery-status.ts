import type { MessageStatus } from '@nudge/contracts';

/** What a reported status does to a message whose status is `current`. */
export type StatusReportVerdict =
  | { outcome: 'applied'; status: MessageStatus }
  | { outcome: 'ignored'; reason: 'duplicate' | 'regression' | 'after_failure' | 'not_sent_yet' };

/** How far a message has got; `clicked` and `replied` are both the deepest engagement. */
const PROGRESS: Record<MessageStatus, number> = {
  queued: 0,
  sent: 1,
  expired: 1,
  failed: 1,
  unknown: 1,
  delivered: 2,
  read: 3,
  clicked: 4,
  replied: 4,
};

const ENGAGED: readonly MessageStatus[] = ['delivered', 'read', 'clicked', 'replied'];

/**
 * Decides whether a status reported by a provider (or the app, or a click) moves a
 * message on. Statuses only go forward (queued < sent < delivered < read < clicked,
 * replied): a late `delivered` never overwrites `read`. `failed` and `expired` only
 * follow `sent` (or `unknown`: the provider's word settles a call whose answer we lost);
 * `failed` is final, while proof of arrival (delivered, read…) supersedes `expired` and
 * `unknown`. A message still queued has not been accepted by a provider yet.
 */
export function reportStatus(current: MessageStatus, reported: MessageStatus): StatusReportVerdict {
  if (reported === current) return { outcome: 'ignored', reason: 'duplicate' };
  if (current === 'queued') return { outcome: 'ignored', reason: 'not_sent_yet' };
  if (current === 'failed') return { outcome: 'ignored', reason: 'after_failure' };
  if (reported === 'failed' || reported === 'expired') {
    return current === 'sent' || current === 'unknown'
      ? { outcome: 'applied', status: reported }
      : { outcome: 'ignored', reason: 'regression' };
  }
  if (current === 'expired') {
    return ENGAGED.includes(reported) ? { outcome: 'applied', status: reported } : { outcome: 'ignored', reason: 'regression' };
  }
  return PROGRESS[reported] >= PROGRESS[current] ? { outcome: 'applied', status: reported } : { outcome: 'ignored', reason: 'regression' };
}
