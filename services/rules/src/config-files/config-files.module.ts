import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { AppliedFilesRepository } from './applied-files.repository';
import { ConfigFilesWatcher } from './config-files.watcher';

@Module({ imports: [CampaignsModule], providers: [AppliedFilesRepository, ConfigFilesWatcher] })
export class ConfigFilesModule {}
