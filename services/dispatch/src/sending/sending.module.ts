import { Module } from '@nestjs/common';
import { getLoggerToken, type PinoLogger } from 'nestjs-pino';
import { DISPATCH_CONFIG, type DispatchConfig } from '../config';
import { InboundMessagesStore } from '../inbound/inbound-messages.store';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { ProviderBreakers } from './provider-breakers';
import { ReadyMessagesSignal } from './ready-messages.signal';
import { SendMetrics } from './send-metrics';
import { ProviderCallTelemetry } from './provider-call-telemetry';
import { SendAtIntake } from './send-at-intake';
import { SendThrottle } from './send-throttle';
import { SenderLoop } from './sender.loop';
import { SenderService } from './sender.service';

/** Sends queued messages through their providers, within their rate limits, retrying with backoff. */
@Module({
  imports: [MessagesModule, ProvidersModule],
  providers: [
    // The WhatsApp window reads when each address last wrote (stateless: the inbound module's store class).
    InboundMessagesStore,
    ReadyMessagesSignal,
    SendMetrics,
    ProviderCallTelemetry,
    SendThrottle,
    SenderService,
    SenderLoop,
    SendAtIntake,
    {
      provide: ProviderBreakers,
      useFactory: (config: DispatchConfig, metrics: SendMetrics, logger: PinoLogger) =>
        new ProviderBreakers({
          failures: config.DISPATCH_BREAKER_FAILURES,
          probeAfterMs: config.DISPATCH_BREAKER_PROBE_SECONDS * 1_000,
          onChange: (provider, state) => {
            metrics.breakerOpen.set({ provider }, state === 'open' ? 1 : 0);
            if (state === 'open') {
              logger.warn(
                { provider, probeAfterSeconds: config.DISPATCH_BREAKER_PROBE_SECONDS },
                "provider's circuit breaker opened after consecutive failed calls: its messages stay queued until a probe succeeds",
              );
            } else logger.info({ provider }, "provider's circuit breaker closed: a probe succeeded, sending resumes");
          },
        }),
      inject: [DISPATCH_CONFIG, SendMetrics, getLoggerToken('sender')],
    },
  ],
  exports: [ReadyMessagesSignal, SendAtIntake],
})
export class SendingModule {}
