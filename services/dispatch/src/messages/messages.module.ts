import { Module } from '@nestjs/common';
import { MessageStore } from './message.store';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';
import { StatusChangesPublisher } from './status-changes.publisher';

/** The messages dispatch keeps, their API, and how their status changes are published. */
@Module({
  controllers: [MessagesController],
  providers: [MessageStore, MessagesService, StatusChangesPublisher],
  exports: [MessageStore, StatusChangesPublisher],
})
export class MessagesModule {}
