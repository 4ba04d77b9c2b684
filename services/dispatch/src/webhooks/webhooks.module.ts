import { Module } from '@nestjs/common';
import { InboundModule } from '../inbound/inbound.module';
import { ProvidersModule } from '../providers/providers.module';
import { WidgetsModule } from '../widgets/widgets.module';
import { ProviderWebhooksController } from './provider-webhooks.controller';
import { ProviderWebhooksService } from './provider-webhooks.service';
import { SandboxCallbacksController } from './sandbox-callbacks.controller';
import { SignedWebhooksExemption } from './signed-webhooks.exemption';

/**
 * Provider callbacks: delivery receipts and inbound messages. The sandbox's routes come
 * first, so `/v1/providers/sandbox/…` never reaches the generic `:provider` routes.
 */
@Module({
  imports: [ProvidersModule, InboundModule, WidgetsModule],
  controllers: [SandboxCallbacksController, ProviderWebhooksController],
  providers: [ProviderWebhooksService, SignedWebhooksExemption],
})
export class WebhooksModule {}
