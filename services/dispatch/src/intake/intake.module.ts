import { Module } from '@nestjs/common';
import { ErasureSalt } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { SendingModule } from '../sending/sending.module';
import { DroppedSendsStore } from './dropped-sends.store';
import { IntakeService } from './intake.service';
import { SendRequestsConsumer } from './send-requests.consumer';

/** Send requests from rules become stored messages, exactly once per send id; those of erased users are dropped. */
@Module({
  imports: [MessagesModule, ProvidersModule, SendingModule],
  providers: [
    IntakeService,
    SendRequestsConsumer,
    DroppedSendsStore,
    { provide: ErasureSalt, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ErasureSalt(dataSource) },
  ],
})
export class IntakeModule {}
