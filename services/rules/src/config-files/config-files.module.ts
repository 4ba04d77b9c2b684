import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { SettingsModule } from '../settings/settings.module';
import { AppliedFilesRepository } from './applied-files.repository';
import { ConfigFilesWatcher } from './config-files.watcher';

@Module({ imports: [CampaignsModule, SettingsModule], providers: [AppliedFilesRepository, ConfigFilesWatcher] })
export class ConfigFilesModule {}
