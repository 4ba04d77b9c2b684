import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { ConsentWithdrawal } from './consent-withdrawal';
import { InboundMessagesService } from './inbound-messages.service';
import { InboundMessagesStore } from './inbound-messages.store';

/** Replies and STOPs: recorded, turned into `message_replied`, and unsubscribes applied to the profile. */
@Module({
  imports: [MessagesModule, ProvidersModule],
  providers: [InboundMessagesStore, InboundMessagesService, ConsentWithdrawal],
  exports: [InboundMessagesService, InboundMessagesStore],
})
export class InboundModule {}
