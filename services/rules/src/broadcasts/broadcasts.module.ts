import { Global, Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { BroadcastBatches } from './broadcast-batches.service';
import { BroadcastCampaigns } from './broadcast-campaigns.service';
import { BroadcastRunner } from './broadcast-runner.service';
import { BroadcastsController } from './broadcasts.controller';
import { BroadcastsRepository } from './broadcasts.repository';
import { Broadcasts } from './broadcasts.service';

/** Broadcasts; global so the timers can resolve a broadcast's deferred sends (BroadcastCampaigns). */
@Global()
@Module({
  imports: [CampaignsModule],
  controllers: [BroadcastsController],
  providers: [BroadcastsRepository, BroadcastCampaigns, BroadcastBatches, BroadcastRunner, Broadcasts],
  exports: [BroadcastCampaigns],
})
export class BroadcastsModule {}
