import { Module } from '@nestjs/common';
import { ErasureSalt } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { JourneysModule } from '../journeys/journeys.module';
import { TimersModule } from '../timers/timers.module';
import { ConversionTracking } from '../conversions/conversion-tracking';
import { OptInConfirmations } from '../double-opt-in/opt-in-confirmations';
import { TriggerConsumer } from './trigger.consumer';
import { TriggerEvaluation } from './trigger-evaluation.service';

@Module({
  imports: [CampaignsModule, TimersModule, JourneysModule],
  providers: [
    TriggerEvaluation,
    TriggerConsumer,
    ConversionTracking,
    OptInConfirmations,
    { provide: ErasureSalt, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ErasureSalt(dataSource) },
  ],
})
export class TriggersModule {}
