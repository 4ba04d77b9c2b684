import { Injectable } from '@nestjs/common';
import type { InboxWriter } from '@nudge/channels';
import { toInboxItemView } from './inbox-item';
import { InboxStore } from './inbox.store';
import { NewInboxItems } from './new-inbox-items';

/**
 * The InboxWriter dispatch gives the `inapp` provider: files the item, then tells the
 * user's open streams. An item filed already (a retried send) is not announced again.
 */
@Injectable()
export class InboxWriterService {
  constructor(
    private readonly store: InboxStore,
    private readonly newItems: NewInboxItems,
  ) {}

  readonly write: InboxWriter = async (item) => {
    const filed = await this.store.insert(item);
    if (filed) this.newItems.announce(filed.userId, toInboxItemView(filed));
  };
}
