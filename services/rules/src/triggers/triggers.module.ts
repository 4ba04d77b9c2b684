import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { JourneysModule } from '../journeys/journeys.module';
import { TimersModule } from '../timers/timers.module';
import { ConversionTracking } from '../conversions/conversion-tracking';
import { TriggerConsumer } from './trigger.consumer';
import { TriggerEvaluation } from './trigger-evaluation.service';

@Module({ imports: [CampaignsModule, TimersModule, JourneysModule], providers: [TriggerEvaluation, TriggerConsumer, ConversionTracking] })
export class TriggersModule {}
