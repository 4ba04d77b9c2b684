import { Module } from '@nestjs/common';
import { ProviderRegistry } from '@nudge/channels';
import { MessagesModule } from '../messages/messages.module';
import { DeliveryReceiptsService } from './delivery-receipts.service';
import { InboundMessagesService } from './inbound-messages.service';
import { SandboxCallbacksController } from './sandbox/sandbox-callbacks.controller';

/**
 * The channel providers and their callbacks. Every channel uses `sandbox` for now; the
 * registry is where settings.yaml's `providers` will plug in.
 */
@Module({
  imports: [MessagesModule],
  controllers: [SandboxCallbacksController],
  providers: [
    { provide: ProviderRegistry, useFactory: () => ProviderRegistry.fromSettings() },
    DeliveryReceiptsService,
    InboundMessagesService,
  ],
  exports: [ProviderRegistry],
})
export class ProvidersModule {}
