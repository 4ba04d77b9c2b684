import { Module } from '@nestjs/common';
import { InboxStore } from './inbox.store';
import { InboxWriterService } from './inbox.writer';
import { NewInboxItems } from './new-inbox-items';

/**
 * Filing in-app messages: the table, the writer the `inapp` provider is built with (the
 * providers module imports this one) and the in-process signal of new items.
 */
@Module({
  providers: [InboxStore, NewInboxItems, InboxWriterService],
  exports: [InboxStore, NewInboxItems, InboxWriterService],
})
export class InboxStorageModule {}
