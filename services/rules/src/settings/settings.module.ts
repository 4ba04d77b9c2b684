import { Module } from '@nestjs/common';
import { SettingsController } from './settings.controller';
import { SettingsCatalog } from './settings-catalog.service';
import { SettingsStore } from './settings.store';

@Module({ controllers: [SettingsController], providers: [SettingsStore, SettingsCatalog], exports: [SettingsCatalog] })
export class SettingsModule {}
