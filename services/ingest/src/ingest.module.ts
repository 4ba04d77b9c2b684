import { type DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule } from '@nudge/service-runtime';
import { INGEST_CONFIG, type IngestConfig } from './config';
import { EventsModule } from './events/events.module';
import { UsersModule } from './users/users.module';

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [RuntimeModule.forRoot({ service: 'ingest', config }), IngestConfigModule.forRoot(config), EventsModule, UsersModule],
    };
  }
}

/** The ingest config, for every ingest feature. */
@Module({})
class IngestConfigModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestConfigModule,
      global: true,
      providers: [{ provide: INGEST_CONFIG, useValue: config }],
      exports: [INGEST_CONFIG],
    };
  }
}
