import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ConfigFilesWatcher } from './config-files.watcher';

@Module({ imports: [CampaignsModule], providers: [ConfigFilesWatcher] })
export class ConfigFilesModule {}
