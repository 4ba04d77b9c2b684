import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { MessageStore } from './message.store';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

/** The messages dispatch keeps, their API, and the outbox their status changes go through. */
@Module({
  imports: [OutboxModule],
  controllers: [MessagesController],
  providers: [MessageStore, MessagesService],
  exports: [MessageStore, OutboxModule],
})
export class MessagesModule {}
