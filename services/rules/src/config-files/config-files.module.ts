import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { SettingsModule } from '../settings/settings.module';
import { AppliedFilesStore } from './applied-files.store';
import { ConfigFilesWatcher } from './config-files.watcher';

@Module({ imports: [CampaignsModule, SettingsModule], providers: [AppliedFilesStore, ConfigFilesWatcher] })
export class ConfigFilesModule {}
