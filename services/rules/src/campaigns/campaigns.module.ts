import { Module } from '@nestjs/common';
import { CampaignCatalog } from './campaign-catalog.service';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';

@Module({
  controllers: [CampaignsController],
  providers: [CampaignsRepository, CampaignCatalog],
  exports: [CampaignCatalog],
})
export class CampaignsModule {}
