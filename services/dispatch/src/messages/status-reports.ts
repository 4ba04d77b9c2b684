import { reportStatus } from '@nudge/channel-rules';
import type { MessageStatus } from '@nudge/contracts';
import type { StoredMessage } from './message';
import type { StatusUpdate } from './message.store';
import type { StatusChange } from './status-change';

/** A status reported for a message (by a provider, the app, a click or a reply). */
export interface ReportedStatus {
  status: MessageStatus;
  reason?: string;
  event?: StatusChange['event'];
}

/** What reports do to one message: the row to write (null: nothing moved it on) and the changes to publish. */
export interface ReportsOutcome {
  update: StatusUpdate | null;
  changes: StatusChange[];
  /** The message's status after the reports. */
  status: MessageStatus;
  applied: number;
  ignored: number;
}

/**
 * Folds reports into a message in the order they came: each one that moves the message on
 * (`reportStatus`: statuses only go forward) is stamped `at` and becomes a change; the
 * others (duplicates, regressions, anything after `failed`) are counted and dropped. A
 * provider's reason is kept for `failed` and `expired` only.
 */
export function applyReports(message: StoredMessage, reports: ReportedStatus[], at: string): ReportsOutcome {
  let status = message.status;
  let failureReason: string | null = null;
  const changes: StatusChange[] = [];
  for (const report of reports) {
    const verdict = reportStatus(status, report.status);
    if (verdict.outcome === 'ignored') continue;
    status = verdict.status;
    const reason = (status === 'failed' || status === 'expired') && report.reason !== undefined ? report.reason : undefined;
    if (reason !== undefined) failureReason = reason;
    changes.push({
      message,
      status,
      at,
      ...(reason === undefined ? {} : { reason }),
      ...(report.event === undefined ? {} : { event: report.event }),
    });
  }
  const update: StatusUpdate | null =
    changes.length === 0 ? null : { id: message.id, status, appendHistory: changes.map((c) => ({ status: c.status, at })), failureReason };
  return { update, changes, status, applied: changes.length, ignored: reports.length - changes.length };
}

/** The message as it is once `update` is written. */
export function afterUpdate(message: StoredMessage, update: StatusUpdate | null): StoredMessage {
  if (!update) return message;
  return {
    ...message,
    status: update.status,
    statusHistory: [...message.statusHistory, ...update.appendHistory],
    failureReason: update.failureReason ?? message.failureReason,
  };
}
