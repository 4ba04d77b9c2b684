import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { ReadyMessagesSignal } from './ready-messages.signal';
import { SendMetrics } from './send-metrics';
import { SenderLoop } from './sender.loop';
import { SenderService } from './sender.service';

/** Sends queued messages through their providers, retrying with backoff. */
@Module({
  imports: [MessagesModule, ProvidersModule],
  providers: [ReadyMessagesSignal, SendMetrics, SenderService, SenderLoop],
  exports: [ReadyMessagesSignal],
})
export class SendingModule {}
