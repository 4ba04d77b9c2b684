import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { EffectsModule } from '../effects/effects.module';
import { SettingsModule } from '../settings/settings.module';
import { JourneyPoller } from './journey-poller.service';
import { JourneyProgress } from './journey-progress.service';
import { JourneysController } from './journeys.controller';

@Module({
  imports: [CampaignsModule, SettingsModule, EffectsModule],
  controllers: [JourneysController],
  providers: [JourneyProgress, JourneyPoller],
  exports: [JourneyProgress],
})
export class JourneysModule {}
