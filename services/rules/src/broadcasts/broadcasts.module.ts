import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { EffectsModule } from '../effects/effects.module';
import { SettingsModule } from '../settings/settings.module';
import { AudienceEstimates } from './audience-estimate.service';
import { BroadcastBatches } from './broadcast-batches.service';
import { BroadcastCampaigns } from './broadcast-campaigns.service';
import { BroadcastRunner } from './broadcast-runner.service';
import { BroadcastsController } from './broadcasts.controller';
import { BroadcastsStore } from './broadcasts.store';
import { Broadcasts } from './broadcasts.service';

/** Broadcasts; their campaigns register with the catalog, through which the timers fire a broadcast's deferred sends. */
@Module({
  imports: [CampaignsModule, SettingsModule, EffectsModule],
  controllers: [BroadcastsController],
  providers: [BroadcastsStore, BroadcastCampaigns, BroadcastBatches, BroadcastRunner, Broadcasts, AudienceEstimates],
})
export class BroadcastsModule {}
