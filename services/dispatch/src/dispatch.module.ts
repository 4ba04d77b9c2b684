import { type DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule } from '@nudge/service-runtime';
import { systemClock } from '@nudge/timing';
import { CLOCK } from './clock';
import { DISPATCH_CONFIG, type DispatchConfig } from './config';
import { IntakeModule } from './intake/intake.module';
import { MessagesModule } from './messages/messages.module';
import { ProvidersModule } from './providers/providers.module';
import { SendingModule } from './sending/sending.module';

@Module({})
export class DispatchModule {
  static forRoot(config: DispatchConfig): DynamicModule {
    return {
      module: DispatchModule,
      imports: [
        RuntimeModule.forRoot({ service: 'dispatch', config, poolSize: 12 }),
        DispatchConfigModule.forRoot(config),
        MessagesModule,
        ProvidersModule,
        SendingModule,
        IntakeModule,
      ],
    };
  }
}

/** The dispatch config and the clock, for every dispatch feature. */
@Module({})
class DispatchConfigModule {
  static forRoot(config: DispatchConfig): DynamicModule {
    return {
      module: DispatchConfigModule,
      global: true,
      providers: [
        { provide: DISPATCH_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
      ],
      exports: [DISPATCH_CONFIG, CLOCK],
    };
  }
}
