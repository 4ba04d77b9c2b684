import { Module } from '@nestjs/common';
import { RecipientUnsubscribe } from './recipient-unsubscribe.service';
import { UnsubscribeController } from './unsubscribe.controller';

/**
 * Recipient links: the pages a message's signed links open (the unsubscribe link today).
 * The links themselves are made where messages are rendered (intake) and sent (List-Unsubscribe).
 */
@Module({
  controllers: [UnsubscribeController],
  providers: [RecipientUnsubscribe],
})
export class RecipientLinksModule {}
