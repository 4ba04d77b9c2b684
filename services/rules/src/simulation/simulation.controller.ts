import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CampaignSimulation } from './campaign-simulation.service';
import { simulationRequestOf } from './simulation-request';

/** "Try before saving": a campaign over sample or recent events, on virtual time; nothing is saved or sent. */
@Controller('v1/campaigns')
export class SimulationController {
  constructor(private readonly simulation: CampaignSimulation) {}

  @Post('simulate')
  @HttpCode(200)
  async simulate(@Body() body: unknown) {
    return this.simulation.run(simulationRequestOf(body));
  }
}
