import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { SendingModule } from '../sending/sending.module';
import { IntakeService } from './intake.service';
import { SendRequestsConsumer } from './send-requests.consumer';

/** Send requests from rules become stored messages, exactly once per send id. */
@Module({
  imports: [MessagesModule, ProvidersModule, SendingModule],
  providers: [IntakeService, SendRequestsConsumer],
})
export class IntakeModule {}
