import { Module } from '@nestjs/common';
import { ProvidersModule } from '../providers/providers.module';
import { InboxStorageModule } from './inbox-storage.module';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { InboxStreams } from './inbox-streams';

/** The in-app inbox API: list, stream of new items, read and clicked reports. */
@Module({
  imports: [InboxStorageModule, ProvidersModule],
  controllers: [InboxController],
  providers: [InboxService, InboxStreams],
})
export class InboxModule {}
