import type { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@nudge/service-runtime';
import { loadRulesConfig } from './config';
import { RulesModule } from './rules.module';

/** Builds the rules service (used by main.ts and by tests). */
export async function createRulesApp(env: Record<string, string | undefined>): Promise<INestApplication> {
  return createServiceApp(RulesModule.forRoot(loadRulesConfig(env)));
}
