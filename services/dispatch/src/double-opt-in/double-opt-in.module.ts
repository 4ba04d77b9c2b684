import { Module } from '@nestjs/common';
import { RecipientLinksModule } from '../recipient-links/recipient-links.module';
import { MessagesModule } from '../messages/messages.module';
import { ConfirmController } from './confirm.controller';
import { OptInConfirmation } from './opt-in-confirmation.service';

/**
 * Double opt-in (issue #12 item 4): confirming a pending marketing consent — by a YES from the
 * address (the inbound module calls `OptInConfirmation`) or by the confirmation link's page
 * (`/o/{token}`). The confirmation message itself is decided by rules and sent like any other.
 */
@Module({
  imports: [MessagesModule, RecipientLinksModule],
  controllers: [ConfirmController],
  providers: [OptInConfirmation],
  exports: [OptInConfirmation],
})
export class DoubleOptInModule {}
