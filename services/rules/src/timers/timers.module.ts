import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { SendFiring } from './send-firing.service';
import { TimerPoller } from './timer-poller.service';

@Module({ imports: [CampaignsModule], providers: [SendFiring, TimerPoller], exports: [SendFiring, TimerPoller] })
export class TimersModule {}
