import { Module } from '@nestjs/common';
import { RecipientLinksModule } from '../recipient-links/recipient-links.module';
import { ProvidersModule } from '../providers/providers.module';
import { WidgetPages } from './widget-pages.service';
import { WidgetPagesController } from './widget-pages.controller';
import { WidgetSubscriptions } from './widget-subscriptions.service';
import { WidgetTokensStore } from './widget-tokens.store';

/**
 * Messenger subscribe widgets (issue #12 item 7): the public page and embed snippet that hand a
 * visitor deep links with a code, and the binding of the chat that comes back with it (the
 * provider webhooks call WidgetSubscriptions).
 */
@Module({
  imports: [ProvidersModule, RecipientLinksModule],
  controllers: [WidgetPagesController],
  providers: [WidgetPages, WidgetSubscriptions, WidgetTokensStore],
  exports: [WidgetSubscriptions],
})
export class WidgetsModule {}
