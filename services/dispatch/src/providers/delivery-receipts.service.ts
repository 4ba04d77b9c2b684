import { Inject, Injectable } from '@nestjs/common';
import { reportStatus } from '@nudge/channels';
import { ConflictError, NotFoundError, type MessageStatus } from '@nudge/contracts';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Clock } from '@nudge/timing';
import type { DataSource } from 'typeorm';
import { CLOCK } from '../clock';
import { toMessageView, type MessageView } from '../messages/message';
import { MessageStore } from '../messages/message.store';
import { StatusChangesPublisher } from '../messages/status-changes.publisher';

/** A status a provider (or the app) reports for a message it took. */
export interface StatusReport {
  provider: string;
  messageId: string;
  status: MessageStatus;
  reason?: string;
}

/**
 * Applies reported statuses: lock the message → decide (statuses only move forward) →
 * record → publish the change before committing. A report that does not move the message
 * on (a late `delivered` after `read`, a duplicate) changes and publishes nothing.
 */
@Injectable()
export class DeliveryReceiptsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: MessageStore,
    private readonly publisher: StatusChangesPublisher,
  ) {}

  /** Answers the message as it is after the report. */
  async report(report: StatusReport): Promise<MessageView> {
    return inTransaction(this.dataSource, async (manager) => {
      const message = await this.store.lockById(manager, report.messageId);
      if (!message || message.provider !== report.provider)
        throw new NotFoundError(`no message ${report.messageId} sent through ${report.provider}`);
      const verdict = reportStatus(message.status, report.status);
      if (verdict.outcome === 'ignored') {
        if (verdict.reason === 'not_sent_yet')
          throw new ConflictError(`message ${message.id} is still queued: ${report.provider} has not taken it yet`);
        return toMessageView(message);
      }
      const stamp = { status: verdict.status, at: this.clock.now().toISOString() };
      const reason = verdict.status === 'failed' || verdict.status === 'expired' ? (report.reason ?? null) : null;
      const updated = await this.store.recordStatus(manager, message.id, stamp, reason);
      await this.publisher.publish([{ message, ...stamp, ...(reason === null ? {} : { reason }) }]);
      return toMessageView(updated);
    });
  }
}
