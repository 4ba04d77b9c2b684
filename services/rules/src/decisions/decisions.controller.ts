import { Controller, Get, Param, Query } from '@nestjs/common';
import { DECISION_OUTCOMES, ValidationError } from '@nudge/contracts';
import { groupResult, uplift } from '@nudge/decisions';
import { DecisionLog } from './decision-log';
import { z } from 'zod';

/** "Why did Ana not get it?": the decision log, per user and per campaign. */
@Controller('v1')
export class DecisionsController {
  constructor(private readonly log: DecisionLog) {}

  @Get('users/:userId/decisions')
  async forUser(@Param('userId') userId: string, @Query('limit') limit?: string) {
    return { items: await this.log.forUser(userId, parseLimit(limit)) };
  }

  @Get('campaigns/:id/stats')
  async stats(@Param('id') campaignId: string) {
    const [counts, funnel, groups] = await Promise.all([
      this.log.outcomeCounts(campaignId),
      this.log.deliveryFunnel(campaignId),
      this.log.conversionsByGroup(campaignId),
    ]);
    const outcomes = Object.fromEntries(DECISION_OUTCOMES.map((o) => [o, counts[o] ?? 0]));
    const treated = groupResult(groups.treated.sends, groups.treated.conversions);
    const heldOut = groupResult(groups.held_out.sends, groups.held_out.conversions);
    const sent = funnel.sent.count;
    const converted = { count: treated.conversions, rate: sent === 0 ? null : Math.round((treated.conversions / sent) * 10_000) / 10_000 };
    return { campaignId, outcomes, funnel: { ...funnel, converted }, holdout: { treated, heldOut, uplift: uplift(treated, heldOut) } };
  }
}

/** The query of the list: `limit` a whole number from 1 to 1000, default 100. */
export const decisionsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

function parseLimit(raw: string | undefined): number {
  const parsed = decisionsQuerySchema.safeParse({ limit: raw });
  if (!parsed.success) throw new ValidationError('invalid query', [{ path: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  return parsed.data.limit;
}
