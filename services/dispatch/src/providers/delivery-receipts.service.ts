import { Inject, Injectable } from '@nestjs/common';
import { reportStatus } from '@nudge/channel-rules';
import { type StatusReport as ProviderStatusReport } from '@nudge/channels';
import { ConflictError, NotFoundError, type MessageStatus } from '@nudge/contracts';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK } from '../clock';
import { toMessageView, type MessageView, type StoredMessage } from '../messages/message';
import { MessageStore } from '../messages/message.store';
import { afterUpdate, applyReports, type ReportedStatus, type ReportsOutcome } from '../messages/status-reports';
import { StatusEventsOutbox } from '../outbox/status-events.outbox';
import { PendingReceiptsStore } from './pending-receipts.store';

/** A status reported for one of our messages by our id (the sandbox, the in-app inbox). */
export interface StatusReport {
  provider: string;
  messageId: string;
  status: MessageStatus;
  reason?: string;
}

/**
 * What a provider's status reports did: moved a message on, changed nothing, or named no
 * message of ours yet (`unknown`: kept in `pending_receipts`, applied once the id is recorded).
 */
export interface ProviderReportsOutcome {
  applied: number;
  ignored: number;
  unknown: number;
}

/**
 * The one path every status change of a sent message takes: lock the message → decide
 * (statuses only move forward, `applyReports`) → record → write the changes' events to the
 * outbox in the same transaction → commit → wake the relay. A report that does not move the
 * message on (a late `delivered` after `read`, a duplicate) changes and publishes nothing.
 */
@Injectable()
export class DeliveryReceiptsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: MessageStore,
    private readonly outbox: StatusEventsOutbox,
    private readonly pending: PendingReceiptsStore,
  ) {}

  /** Applies a report by our message id; answers the message as it is after it. */
  async report(report: StatusReport): Promise<MessageView> {
    const view = await inTransaction(this.dataSource, async (manager) => {
      const message = await this.store.lockById(manager, report.messageId);
      if (!message || message.provider !== report.provider)
        throw new NotFoundError(`no message ${report.messageId} sent through ${report.provider}`);
      const verdict = reportStatus(message.status, report.status);
      if (verdict.outcome === 'ignored' && verdict.reason === 'not_sent_yet')
        throw new ConflictError(`message ${message.id} is still queued: ${report.provider} has not taken it yet`);
      const { update, changes } = await this.applyLocked(manager, message, [
        { status: report.status, ...(report.reason === undefined ? {} : { reason: report.reason }) },
      ]);
      await this.outbox.add(manager, changes);
      return toMessageView(afterUpdate(message, update));
    });
    this.outbox.committed();
    return view;
  }

  /**
   * Applies a provider's reports by its own message ids, in one transaction: the messages
   * are locked and written in one statement each. A report naming no message of ours yet (a
   * provider that called back before its send's result was recorded, or another system's id)
   * is counted and kept in `pending_receipts` in the same transaction: the early receipts
   * poller applies it once the id is recorded, or drops it after a bounded wait.
   */
  async reportByProviderIds(provider: string, reports: ProviderStatusReport[]): Promise<ProviderReportsOutcome> {
    if (reports.length === 0) return { applied: 0, ignored: 0, unknown: 0 };
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const { unknown, ...applied } = await this.applyByProviderIds(manager, provider, reports);
      await this.pending.keep(manager, provider, unknown);
      return { ...applied, unknown: unknown.length };
    });
    this.outbox.committed();
    return outcome;
  }

  /**
   * `reportByProviderIds` within the caller's transaction, with the changes in the outbox;
   * answers the reports naming no message (for the caller to keep or drop). The caller wakes
   * the relay after its commit (`StatusEventsOutbox.committed`).
   */
  async applyByProviderIds(
    manager: EntityManager,
    provider: string,
    reports: ProviderStatusReport[],
  ): Promise<{ applied: number; ignored: number; unknown: ProviderStatusReport[] }> {
    const messages = await this.store.lockByProviderIds(
      manager,
      provider,
      reports.map((r) => r.providerMessageId),
    );
    const byProviderId = new Map(messages.map((m) => [m.providerMessageId, m]));
    const reportsOf = new Map<StoredMessage, ReportedStatus[]>();
    const unknown: ProviderStatusReport[] = [];
    for (const report of reports) {
      const message = byProviderId.get(report.providerMessageId);
      if (!message) {
        unknown.push(report);
        continue;
      }
      reportsOf.set(message, [
        ...(reportsOf.get(message) ?? []),
        { status: report.status, ...(report.reason === undefined ? {} : { reason: report.reason }) },
      ]);
    }
    const outcomes = [...reportsOf].map(([message, reported]) => applyReports(message, reported, this.at()));
    await this.record(manager, outcomes);
    await this.outbox.add(
      manager,
      outcomes.flatMap((o) => o.changes),
    );
    return {
      applied: outcomes.reduce((sum, o) => sum + o.applied, 0),
      ignored: outcomes.reduce((sum, o) => sum + o.ignored, 0),
      unknown,
    };
  }

  /**
   * Applies reports to a message the caller has locked in its transaction and records
   * them; answers what changed, for the caller to add to the outbox (StatusEventsOutbox) before it commits.
   */
  async applyLocked(manager: EntityManager, message: StoredMessage, reports: ReportedStatus[]): Promise<ReportsOutcome> {
    const outcome = applyReports(message, reports, this.at());
    await this.record(manager, [outcome]);
    return outcome;
  }

  private record(manager: EntityManager, outcomes: ReportsOutcome[]): Promise<void> {
    return this.store.recordStatuses(
      manager,
      outcomes.flatMap((o) => (o.update ? [o.update] : [])),
    );
  }

  private at(): string {
    return this.clock.now().toISOString();
  }
}
