import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { PreferenceCentreController } from './preference-centre.controller';
import { PreferenceCentre } from './preference-centre.service';
import { RecipientProfileChanges } from './recipient-profile-changes';
import { RecipientUnsubscribe } from './recipient-unsubscribe.service';
import { UnsubscribeController } from './unsubscribe.controller';

/**
 * Recipient links: the pages a message's signed links open — the unsubscribe link (`/u/…`)
 * and the preference centre (`/p/…`, its topics from the settings in force). The links
 * themselves are made where messages are rendered (intake) and sent (List-Unsubscribe).
 */
@Module({
  imports: [ProvidersModule],
  controllers: [UnsubscribeController, PreferenceCentreController],
  providers: [RecipientProfileChanges, RecipientUnsubscribe, PreferenceCentre],
  exports: [RecipientProfileChanges],
})
export class RecipientLinksModule {}
