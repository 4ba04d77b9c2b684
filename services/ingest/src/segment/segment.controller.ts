import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { Scope, WriteKeyAccepted } from '@nudge/service-runtime';
import type { Request } from 'express';
import type { SegmentMessageType } from './segment-messages';
import { segmentBatchOf, segmentCallOf, segmentOriginOf } from './segment-requests';
import { SegmentService } from './segment.service';

const SUCCESS = { success: true } as const;

/** Where the Segment-compatible routes live. */
export const SEGMENT_ROUTES_PATH = '/segment/v1';

/**
 * Segment's HTTP Tracking API (SPEC §9): what `@segment/analytics-node`, analytics.js and
 * RudderStack's SDKs send, pointed at ingest. The write key is an ingest key, sent as HTTP Basic
 * (`<key>:`), as Bearer, or as the body's `writeKey`. 200 `{ "success": true }`, as Segment answers.
 * analytics.js posts each call to its one-letter path (`/t`, `/i`, `/p`, `/s`, `/g`, `/a`, and `/b`
 * when it batches), as text/plain.
 */
@Controller(SEGMENT_ROUTES_PATH.slice(1))
@Scope('ingest')
@WriteKeyAccepted()
export class SegmentController {
  constructor(private readonly segment: SegmentService) {}

  @Post(['batch', 'b'])
  @HttpCode(200)
  async batch(@Body() body: unknown, @Req() request: Request) {
    await this.segment.apply(segmentBatchOf(body, request), segmentOriginOf(request));
    return SUCCESS;
  }

  @Post(['track', 't'])
  @HttpCode(200)
  track(@Body() body: unknown, @Req() request: Request) {
    return this.call('track', body, request);
  }

  @Post(['identify', 'i'])
  @HttpCode(200)
  identify(@Body() body: unknown, @Req() request: Request) {
    return this.call('identify', body, request);
  }

  @Post(['page', 'p'])
  @HttpCode(200)
  page(@Body() body: unknown, @Req() request: Request) {
    return this.call('page', body, request);
  }

  @Post(['screen', 's'])
  @HttpCode(200)
  screen(@Body() body: unknown, @Req() request: Request) {
    return this.call('screen', body, request);
  }

  @Post(['group', 'g'])
  @HttpCode(200)
  group(@Body() body: unknown, @Req() request: Request) {
    return this.call('group', body, request);
  }

  @Post(['alias', 'a'])
  @HttpCode(200)
  alias(@Body() body: unknown, @Req() request: Request) {
    return this.call('alias', body, request);
  }

  private async call(type: SegmentMessageType, body: unknown, request: Request) {
    await this.segment.apply(segmentCallOf(type, body, request), segmentOriginOf(request));
    return SUCCESS;
  }
}
