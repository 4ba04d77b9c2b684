import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
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
export class SegmentModule implements NestModule {
  /**
   * Browsers may read the answers of any site: the write key travels in the request (never a
   * cookie), so no origin gains anything by reading them, and analytics.js counts a call it cannot
   * read as failed and sends it again.
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(allowAnyOrigin).forRoutes(SegmentController);
  }
}

function allowAnyOrigin(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Access-Control-Allow-Origin', '*');
  next();
}
