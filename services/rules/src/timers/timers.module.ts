import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { EffectsModule } from '../effects/effects.module';
import { SettingsModule } from '../settings/settings.module';
import { SendFiring } from './send-firing.service';
import { TimerPoller } from './timer-poller.service';

/** Durable timers: pending sends (fallback steps among them) and their firing. */
@Module({
  imports: [CampaignsModule, SettingsModule, EffectsModule],
  providers: [SendFiring, TimerPoller],
  exports: [SendFiring, TimerPoller],
})
export class TimersModule {}
