import { Module } from '@nestjs/common';
import { CampaignCatalog } from './campaign-catalog.service';
import { CampaignFilesWatcher } from './campaign-files.watcher';
import { CampaignsController } from './campaigns.controller';
import { CampaignsRepository } from './campaigns.repository';

@Module({
  controllers: [CampaignsController],
  providers: [CampaignsRepository, CampaignCatalog, CampaignFilesWatcher],
  exports: [CampaignCatalog],
})
export class CampaignsModule {}
