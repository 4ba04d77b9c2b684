import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { FallbackSteps } from '../fallbacks/fallback-steps.service';
import { SendFiring } from './send-firing.service';
import { TimerPoller } from './timer-poller.service';

/** Durable timers: pending sends, their firing, and fallback steps (pending sends that wait for dispatch's word). */
@Module({
  imports: [CampaignsModule],
  providers: [SendFiring, TimerPoller, FallbackSteps],
  exports: [SendFiring, TimerPoller, FallbackSteps],
})
export class TimersModule {}
