import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { DECISION_OUTCOMES, ValidationError } from '@nudge/contracts';
import { groupResult, uplift } from '@nudge/decisions';
import type { Clock } from '@nudge/timing';
import { z } from 'zod';
import { CLOCK } from '../clock';
import { DecisionLog } from './decision-log';
import { funnelWindowOf, statsWindowOf } from './stats-window';

/** "Why did Ana not get it?": the decision log, per user and per campaign. */
@Controller('v1')
export class DecisionsController {
  constructor(
    private readonly log: DecisionLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('users/:userId/decisions')
  async forUser(@Param('userId') userId: string, @Query('limit') limit?: string) {
    return { items: await this.log.forUser(userId, parseLimit(limit)) };
  }

  /** Outcomes, funnel and uplift, over all time or a window (`?since=P1D`: the last 24 h). */
  @Get('campaigns/:id/stats')
  async stats(@Param('id') campaignId: string, @Query() query: unknown) {
    const window = statsWindowOf(query, this.clock.now());
    const [counts, funnel, groups] = await Promise.all([
      this.log.outcomeCounts(campaignId, window),
      this.log.deliveryFunnel(campaignId, window),
      this.log.conversionsByGroup(campaignId, window),
    ]);
    const outcomes = Object.fromEntries(DECISION_OUTCOMES.map((o) => [o, counts[o] ?? 0]));
    const treated = groupResult(groups.treated.sends, groups.treated.conversions);
    const heldOut = groupResult(groups.held_out.sends, groups.held_out.conversions);
    const sent = funnel.sent.count;
    const converted = { count: treated.conversions, rate: sent === 0 ? null : Math.round((treated.conversions / sent) * 10_000) / 10_000 };
    return {
      campaignId,
      window: window && { since: window.since.toISOString(), until: window.until.toISOString() },
      outcomes,
      funnel: { ...funnel, converted },
      holdout: { treated, heldOut, uplift: uplift(treated, heldOut) },
    };
  }

  /** The funnel per day and channel, over a window (default the last 30 days). */
  @Get('campaigns/:id/funnel')
  async funnel(@Param('id') campaignId: string, @Query() query: unknown) {
    const window = funnelWindowOf(query, this.clock.now());
    const items = await this.log.funnelByDay(campaignId, window);
    return { campaignId, since: window.since.toISOString(), until: window.until.toISOString(), items };
  }
}

/** The query of the list: `limit` a whole number from 1 to 1000, default 100. */
export const decisionsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

function parseLimit(raw: string | undefined): number {
  const parsed = decisionsQuerySchema.safeParse({ limit: raw });
  if (!parsed.success) throw new ValidationError('invalid query', [{ path: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  return parsed.data.limit;
}
