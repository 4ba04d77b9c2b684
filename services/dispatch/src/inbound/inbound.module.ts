import { Module } from '@nestjs/common';
import { DoubleOptInModule } from '../double-opt-in/double-opt-in.module';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { SendingModule } from '../sending/sending.module';
import { InboundMessagesService } from './inbound-messages.service';
import { InboundMessagesStore } from './inbound-messages.store';
import { SuppressionsController } from './suppressions.controller';

/**
 * Replies and STOPs: recorded, turned into `message_replied`; STOP and START set the opt-out of
 * the sender's address (suppressions) and are confirmed. (A withdrawal that belongs to one
 * profile, an unsubscribe link, is the recipient-links module's.)
 */
@Module({
  imports: [MessagesModule, ProvidersModule, SendingModule, DoubleOptInModule],
  controllers: [SuppressionsController],
  providers: [InboundMessagesStore, InboundMessagesService],
  exports: [InboundMessagesService, InboundMessagesStore],
})
export class InboundModule {}
