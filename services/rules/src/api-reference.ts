import type { ApiReference } from '@nudge/service-runtime';
import { BROADCASTS_OPERATIONS } from './broadcasts/broadcasts.openapi';
import { CAMPAIGN_VERSIONS_OPERATIONS } from './campaigns/campaign-versions.openapi';
import { CAMPAIGNS_OPERATIONS } from './campaigns/campaigns.openapi';
import { DEAD_LETTERS_OPERATIONS } from './dead-letters/dead-letters.openapi';
import { DECISIONS_OPERATIONS } from './decisions/decisions.openapi';
import { JOURNEYS_OPERATIONS } from './journeys/journeys.openapi';
import { SETTINGS_OPERATIONS } from './settings/settings.openapi';
import { SIMULATION_OPERATIONS } from './simulation/simulation.openapi';

/** Rules' `GET /openapi.json`. */
export const RULES_API: ApiReference = {
  service: 'rules',
  title: 'Nudge rules API',
  description:
    'Campaigns and journeys (with their version history), settings, broadcasts, the decision log (SPEC §5, §6) and the dead letters of Nudge’s topics: admin key only. Errors are `{"error": {"code", "message", "details": [{"path", "message"}]}}`.',
  operations: [
    ...CAMPAIGNS_OPERATIONS,
    ...CAMPAIGN_VERSIONS_OPERATIONS,
    ...SIMULATION_OPERATIONS,
    ...SETTINGS_OPERATIONS,
    ...BROADCASTS_OPERATIONS,
    ...DECISIONS_OPERATIONS,
    ...JOURNEYS_OPERATIONS,
    ...DEAD_LETTERS_OPERATIONS,
  ],
};
