import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { SettingsModule } from '../settings/settings.module';
import { CampaignSimulation } from './campaign-simulation.service';
import { RecentEventsReader } from './recent-events';
import { SimulationController } from './simulation.controller';

/** `POST /v1/campaigns/simulate`. */
@Module({
  imports: [CampaignsModule, SettingsModule],
  controllers: [SimulationController],
  providers: [CampaignSimulation, RecentEventsReader],
})
export class SimulationModule {}
