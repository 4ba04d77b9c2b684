import { Module } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { ProvidersModule } from '../providers/providers.module';
import { TrackedLinksController } from './tracked-links.controller';
import { TrackedLinksService } from './tracked-links.service';
import { TrackedLinksStore } from './tracked-links.store';

/** Tracked links: the redirect and the click it records. Links are made when intake renders a message. */
@Module({
  imports: [MessagesModule, ProvidersModule],
  controllers: [TrackedLinksController],
  providers: [TrackedLinksStore, TrackedLinksService],
})
export class LinksModule {}
