import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@nudge/contracts';
import type { Clock } from '@nudge/timing';
import { CLOCK } from '../clock';
import { DeliveryReceiptsService } from '../providers/delivery-receipts.service';
import { toInboxItemView, type InboxItemView } from './inbox-item';
import { InboxStore, type InboxAction, type InboxFilter } from './inbox.store';

/**
 * A user's in-app inbox: what the app lists, and what it reports back. A read or a click
 * is stamped on the item, then reported like any provider's status (SPEC §7), so it
 * becomes `message_read` / `message_clicked` and a DeliveryUpdate; a report that does not
 * move the message on (read after clicked, a repeat) changes nothing. Reporting again
 * after a failed publish is safe: the first stamp stays, the status is reported again.
 */
@Injectable()
export class InboxService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: InboxStore,
    private readonly receipts: DeliveryReceiptsService,
  ) {}

  async list(userId: string, filter: InboxFilter): Promise<InboxItemView[]> {
    return (await this.store.list(userId, filter)).map(toInboxItemView);
  }

  /** Answers the item as it is after the report; NotFound when the user has no such item. */
  async report(userId: string, messageId: string, action: InboxAction): Promise<InboxItemView> {
    const item = await this.store.mark(userId, messageId, action, this.clock.now().toISOString());
    if (!item) throw new NotFoundError(`no message ${messageId} in the inbox of ${userId}`);
    await this.receipts.report({ provider: item.provider, messageId, status: action });
    return toInboxItemView(item);
  }
}
