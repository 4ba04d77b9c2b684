import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Scope } from '@nudge/service-runtime';
import { EventsService } from './events.service';

/** Event intake (SPEC §3): 202 with the number of events accepted. */
@Controller('v1/events')
@Scope('ingest')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @HttpCode(202)
  async one(@Body() body: unknown) {
    return { accepted: await this.events.acceptOne(body) };
  }

  @Post('batch')
  @HttpCode(202)
  async batch(@Body() body: unknown) {
    return { accepted: await this.events.acceptBatch(body) };
  }
}
