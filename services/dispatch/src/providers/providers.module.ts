import { Module } from '@nestjs/common';
import type { ProviderContext } from '@nudge/channels';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { InboxStorageModule } from '../inbox/inbox-storage.module';
import { InboxWriterService } from '../inbox/inbox.writer';
import { MessagesModule } from '../messages/messages.module';
import { ActiveProviders } from './active-providers';
import { DeliveryReceiptsService } from './delivery-receipts.service';
import { EarlyReceiptsPoller } from './early-receipts.poller';
import { PendingReceiptsStore } from './pending-receipts.store';
import { PROVIDER_CONTEXT } from './provider-tokens';
import { ProviderSettingsStore } from './provider-settings.store';

/**
 * The channel providers in force (built from the settings rules saves, with their rate
 * limits) and the one path by which a sent message's status changes, with the receipts
 * that come before their message's provider id is recorded (kept, then applied or dropped).
 */
@Module({
  imports: [MessagesModule, InboxStorageModule],
  providers: [
    {
      provide: PROVIDER_CONTEXT,
      inject: [DISPATCH_CONFIG, InboxWriterService],
      useFactory: (config: DispatchConfig, inbox: InboxWriterService): ProviderContext => ({
        env: config.providerEnv,
        publicUrl: config.PUBLIC_URL,
        inbox: inbox.write,
      }),
    },
    ProviderSettingsStore,
    ActiveProviders,
    DeliveryReceiptsService,
    PendingReceiptsStore,
    EarlyReceiptsPoller,
  ],
  exports: [ActiveProviders, DeliveryReceiptsService],
})
export class ProvidersModule {}
