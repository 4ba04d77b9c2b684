import { type DynamicModule, Module } from '@nestjs/common';
import { PROVIDER_FACTORIES, type ProviderFactory } from '@nudge/channels';
import { ApiReferenceModule, RuntimeModule } from '@nudge/service-runtime';
import { DISPATCH_API } from './api-reference';
import { systemClock } from '@nudge/timing';
import { CLOCK } from './clock';
import { DISPATCH_CONFIG, type DispatchConfig } from './config';
import { FallbackModule } from './fallback/fallback.module';
import { InboundModule } from './inbound/inbound.module';
import { InboxModule } from './inbox/inbox.module';
import { IntakeModule } from './intake/intake.module';
import { LinksModule } from './links/links.module';
import { DISPATCH_SESSION_SETTINGS } from './messages/message.store';
import { MessagesModule } from './messages/messages.module';
import { KNOWN_PROVIDERS } from './providers/provider-tokens';
import { ProvidersModule } from './providers/providers.module';
import { RecipientLinksModule } from './recipient-links/recipient-links.module';
import { SendingModule } from './sending/sending.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WidgetsModule } from './widgets/widgets.module';

export interface DispatchAppOptions {
  /** The providers dispatch can build, by name; PROVIDER_FACTORIES unless a test adds fakes. */
  providerFactories?: Readonly<Record<string, ProviderFactory>>;
}

@Module({})
export class DispatchModule {
  static forRoot(config: DispatchConfig, options: DispatchAppOptions = {}): DynamicModule {
    return {
      module: DispatchModule,
      imports: [
        RuntimeModule.forRoot({ service: 'dispatch', config, poolSize: 12, sessionSettings: DISPATCH_SESSION_SETTINGS }),
        DispatchConfigModule.forRoot(config, options),
        MessagesModule,
        ProvidersModule,
        SendingModule,
        IntakeModule,
        InboxModule,
        InboundModule,
        WebhooksModule,
        LinksModule,
        RecipientLinksModule,
        WidgetsModule,
        FallbackModule,
        ApiReferenceModule.forService(DISPATCH_API),
      ],
    };
  }
}

/** The dispatch config, the clock and the providers it knows, for every dispatch feature. */
@Module({})
class DispatchConfigModule {
  static forRoot(config: DispatchConfig, options: DispatchAppOptions): DynamicModule {
    return {
      module: DispatchConfigModule,
      global: true,
      providers: [
        { provide: DISPATCH_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        { provide: KNOWN_PROVIDERS, useValue: options.providerFactories ?? PROVIDER_FACTORIES },
      ],
      exports: [DISPATCH_CONFIG, CLOCK, KNOWN_PROVIDERS],
    };
  }
}
