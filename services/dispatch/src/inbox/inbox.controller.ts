import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Scope } from '@nudge/service-runtime';
import type { Request, Response } from 'express';
import type { InboxItemView } from './inbox-item';
import { InboxService } from './inbox.service';
import { InboxStreams } from './inbox-streams';
import { parseListInboxQuery } from './list-inbox.query';

/**
 * The in-app inbox the app reads and reports back to (SPEC §7). Besides the admin key, an
 * end user's token (`X-Nudge-User-Token`, or `?token=` for the stream) opens its own inbox.
 */
@Controller('v1/users/:userId/inbox')
@Scope('user')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly streams: InboxStreams,
  ) {}

  @Get()
  async list(@Param('userId') userId: string, @Query() query: Record<string, unknown>): Promise<{ items: InboxItemView[] }> {
    return { items: await this.inbox.list(userId, parseListInboxQuery(query)) };
  }

  /**
   * Server-sent events: the response stays open, written by InboxStreams. A HEAD gets the
   * headers and an end: it has no body to stream, and Node sends no headers before one.
   */
  @Get('stream')
  stream(@Param('userId') userId: string, @Req() request: Request, @Res() response: Response): void {
    if (request.method === 'HEAD') {
      response.status(200).type('text/event-stream; charset=utf-8').end();
      return;
    }
    this.streams.stream(userId, response);
  }

  @Post(':messageId/read')
  @HttpCode(200)
  read(@Param('userId') userId: string, @Param('messageId') messageId: string): Promise<InboxItemView> {
    return this.inbox.report(userId, messageId, 'read');
  }

  @Post(':messageId/clicked')
  @HttpCode(200)
  clicked(@Param('userId') userId: string, @Param('messageId') messageId: string): Promise<InboxItemView> {
    return this.inbox.report(userId, messageId, 'clicked');
  }
}
