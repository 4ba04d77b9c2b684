import { type DynamicModule, Module } from '@nestjs/common';
import { ApiReferenceModule, RuntimeModule } from '@nudge/service-runtime';
import { INGEST_API } from './api-reference';
import { INGEST_CONFIG, type IngestConfig } from './config';
import { EventsModule } from './events/events.module';
import { SegmentModule } from './segment/segment.module';
import { TopicIntakeModule } from './topic-intake/topic-intake.module';
import { UsersModule } from './users/users.module';

@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        // Every statement is bounded (a held user lock included): ingest's work is requests, and the intake
        // consumer's profile merges, which are retried when they time out.
        RuntimeModule.forRoot({
          service: 'ingest',
          config,
          sessionSettings: { statement_timeout: String(config.INGEST_STATEMENT_TIMEOUT_MS) },
        }),
        IngestConfigModule.forRoot(config),
        EventsModule,
        UsersModule,
        SegmentModule,
        TopicIntakeModule,
        ApiReferenceModule.forService(INGEST_API),
      ],
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
