import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ValidationError } from '@nudge/contracts';
import type { Response } from 'express';
import { AudienceEstimates } from './audience-estimate.service';
import { broadcastView } from './broadcast-view';
import { Broadcasts } from './broadcasts.service';
import { BroadcastsStore } from './broadcasts.store';
import { z } from 'zod';

/** Broadcasts: one message to a topic's subscribers or a profile segment, now or at `sendAt`. */
@Controller('v1/broadcasts')
export class BroadcastsController {
  constructor(
    private readonly broadcasts: Broadcasts,
    private readonly store: BroadcastsStore,
    private readonly audiences: AudienceEstimates,
  ) {}

  /** The audience size of a broadcast before it is sent: nothing is stored. */
  @Post('audience')
  @HttpCode(200)
  async audience(@Body() body: unknown) {
    return this.audiences.estimate(body);
  }

  /** 202 for a new broadcast; 200 with the existing one when the same request is sent again. */
  @Post()
  async create(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const { created, broadcast } = await this.broadcasts.create(body);
    response.status(created ? 202 : 200);
    return broadcastView(broadcast);
  }

  @Get()
  async list(@Query('limit') limit?: string) {
    return { items: (await this.store.recent(parseLimit(limit))).map(broadcastView) };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return broadcastView(await this.broadcasts.get(id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id') id: string) {
    return broadcastView(await this.broadcasts.cancel(id));
  }
}

/** The query of the list: `limit` a whole number from 1 to 500, default 50. */
export const broadcastsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

function parseLimit(raw: string | undefined): number {
  const parsed = broadcastsQuerySchema.safeParse({ limit: raw });
  if (!parsed.success) throw new ValidationError('invalid query', [{ path: 'limit', message: 'must be a whole number from 1 to 500' }]);
  return parsed.data.limit;
}
