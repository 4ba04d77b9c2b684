import { Module } from '@nestjs/common';
import { CampaignCatalog } from './campaign-catalog.service';
import { CampaignVersionsController } from './campaign-versions.controller';
import { CampaignVersions } from './campaign-versions.service';
import { CampaignVersionsStore } from './campaign-versions.store';
import { CampaignsController } from './campaigns.controller';
import { CampaignsStore } from './campaigns.store';

@Module({
  controllers: [CampaignsController, CampaignVersionsController],
  providers: [CampaignsStore, CampaignCatalog, CampaignVersionsStore, CampaignVersions],
  exports: [CampaignCatalog],
})
export class CampaignsModule {}
