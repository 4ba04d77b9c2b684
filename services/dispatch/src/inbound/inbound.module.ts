import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { SendingModule } from '../sending/sending.module';
import { ConsentWithdrawal } from './consent-withdrawal';
import { InboundMessagesService } from './inbound-messages.service';
import { InboundMessagesStore } from './inbound-messages.store';
import { SuppressionsController } from './suppressions.controller';

/**
 * Replies and STOPs: recorded, turned into `message_replied`; STOP and START set the opt-out of
 * the sender's address (suppressions) and are confirmed. ConsentWithdrawal stays exported for
 * withdrawals that do belong to one profile (a recipient link names its user).
 */
@Module({
  imports: [MessagesModule, ProvidersModule, SendingModule],
  controllers: [SuppressionsController],
  providers: [InboundMessagesStore, InboundMessagesService, ConsentWithdrawal],
  exports: [InboundMessagesService, InboundMessagesStore, ConsentWithdrawal],
})
export class InboundModule {}
