import { Controller, Get, Inject, Query } from '@nestjs/common';
import type { Channel } from '@nudge/contracts';
import { loadSuppressions, suppressionKey } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { parseSuppressionsQuery } from './suppressions.query';

/** An address's opt-out state; `suppressed: false` with no keyword when it never sent one. */
export interface SuppressionView {
  channel: Channel;
  address: string;
  suppressed: boolean;
  keyword: string | null;
  source: string | null;
  changedAt: string | null;
}

/** `GET /v1/suppressions?channel=&address=` (SPEC §9 "Opt-out by address"): admin key only (no other scope). */
@Controller('v1/suppressions')
export class SuppressionsController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get()
  async get(@Query() query: Record<string, unknown>): Promise<SuppressionView> {
    const address = parseSuppressionsQuery(query);
    const stored = (await loadSuppressions(this.dataSource.manager, [address])).get(suppressionKey(address));
    return stored ?? { ...address, suppressed: false, keyword: null, source: null, changedAt: null };
  }
}
