import { Controller, Get, Inject, Param } from '@nestjs/common';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { runsOfUser } from '../state/journey-runs';

/** Where a user is in each journey, and what every step did: the other half of "why did Ana not get it?". */
@Controller('v1')
export class JourneysController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get('users/:userId/journeys')
  async forUser(@Param('userId') userId: string) {
    const runs = await runsOfUser(this.dataSource.manager, userId, 100);
    return {
      items: runs.map((run) => ({
        runId: run.runId,
        campaignId: run.campaignId,
        campaignVersion: run.campaignVersion,
        triggerEventId: run.triggerEvent.eventId,
        status: run.status,
        stepId: run.stepId,
        waitingFor: run.waitingFor,
        dueAt: run.dueAt?.toISOString() ?? null,
        steps: run.history,
        startedAt: run.startedAt.toISOString(),
        updatedAt: run.updatedAt.toISOString(),
      })),
    };
  }
}
