import { Module } from '@nestjs/common';
import { ErasureSalt } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ConversionTracking } from '../conversions/conversion-tracking';
import { OptInConfirmations } from '../double-opt-in/opt-in-confirmations';
import { EffectsModule } from '../effects/effects.module';
import { FallbackSteps } from '../fallbacks/fallback-steps.service';
import { JourneysModule } from '../journeys/journeys.module';
import { SettingsModule } from '../settings/settings.module';
import { TimersModule } from '../timers/timers.module';
import { TriggerConsumer } from './trigger.consumer';
import { TriggerEvaluation } from './trigger-evaluation.service';

/**
 * The top of rules' feature tree: a batch of events is planned here with the help of every
 * feature below (conversions, fallbacks, journeys, double opt-in, the timers' firing) and
 * written once by the EffectsWriter. Nothing below imports from here.
 */
@Module({
  imports: [CampaignsModule, SettingsModule, EffectsModule, TimersModule, JourneysModule],
  providers: [
    TriggerEvaluation,
    TriggerConsumer,
    ConversionTracking,
    OptInConfirmations,
    FallbackSteps,
    { provide: ErasureSalt, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new ErasureSalt(dataSource) },
  ],
})
export class TriggersModule {}
