import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { TimerPoller } from './timer-poller.service';

@Module({ imports: [CampaignsModule], providers: [TimerPoller], exports: [TimerPoller] })
export class TimersModule {}
