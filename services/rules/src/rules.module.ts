import { type DynamicModule, Module } from '@nestjs/common';
import { ApiReferenceModule, RuntimeModule } from '@nudge/service-runtime';
import { RULES_API } from './api-reference';
import { systemClock } from '@nudge/timing';
import { BroadcastsModule } from './broadcasts/broadcasts.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ConfigFilesModule } from './config-files/config-files.module';
import { CLOCK } from './clock';
import { RULES_CONFIG, type RulesConfig } from './config';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DecisionsModule } from './decisions/decisions.module';
import { RetentionService } from './retention/retention.service';
import { SettingsModule } from './settings/settings.module';
import { SimulationModule } from './simulation/simulation.module';
import { TimersModule } from './timers/timers.module';
import { TriggersModule } from './triggers/triggers.module';

@Module({})
export class RulesModule {
  static forRoot(config: RulesConfig): DynamicModule {
    return {
      module: RulesModule,
      providers: [RetentionService],
      imports: [
        RuntimeModule.forRoot({ service: 'rules', config, poolSize: 12 }),
        RulesConfigModule.forRoot(config),
        DecisionsModule,
        SettingsModule,
        CampaignsModule,
        ConfigFilesModule,
        TimersModule,
        TriggersModule,
        BroadcastsModule,
        DeadLettersModule,
        SimulationModule,
        ApiReferenceModule.forService(RULES_API),
      ],
    };
  }
}

/** The rules config and the clock, for every rules feature. */
@Module({})
class RulesConfigModule {
  static forRoot(config: RulesConfig): DynamicModule {
    return {
      module: RulesConfigModule,
      global: true,
      providers: [
        { provide: RULES_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
      ],
      exports: [RULES_CONFIG, CLOCK],
    };
  }
}
