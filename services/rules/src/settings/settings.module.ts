import { Module } from '@nestjs/common';
import { SettingsController } from './settings.controller';
import { SettingsStore } from './settings-store.service';
import { SettingsRepository } from './settings.repository';

@Module({ controllers: [SettingsController], providers: [SettingsRepository, SettingsStore], exports: [SettingsStore] })
export class SettingsModule {}
