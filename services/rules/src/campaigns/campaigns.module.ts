import { Module } from '@nestjs/common';
import { CampaignCatalog } from './campaign-catalog.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsStore } from './campaigns.store';

@Module({
  controllers: [CampaignsController],
  providers: [CampaignsStore, CampaignCatalog],
  exports: [CampaignCatalog],
})
export class CampaignsModule {}
