import { Module } from '@nestjs/common';
import { InboundModule } from '../inbound/inbound.module';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { ReadyMessagesSignal } from './ready-messages.signal';
import { SendMetrics } from './send-metrics';
import { SendThrottle } from './send-throttle';
import { SenderLoop } from './sender.loop';
import { SenderService } from './sender.service';

/** Sends queued messages through their providers, within their rate limits, retrying with backoff. */
@Module({
  imports: [MessagesModule, ProvidersModule, InboundModule],
  providers: [ReadyMessagesSignal, SendMetrics, SendThrottle, SenderService, SenderLoop],
  exports: [ReadyMessagesSignal],
})
export class SendingModule {}
