import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import { SegmentController } from './segment.controller';
import { SEGMENT_PROFILES, SegmentService } from './segment.service';
import { SegmentSettingsStore } from './segment-settings.store';

/** The Segment-compatible ingest (`/segment/v1/*`): Segment calls become events and profile changes. */
@Module({
  imports: [EventsModule, UsersModule],
  controllers: [SegmentController],
  providers: [SegmentService, SegmentSettingsStore, { provide: SEGMENT_PROFILES, useExisting: UsersService }],
  exports: [SegmentService],
})
export class SegmentModule {}
