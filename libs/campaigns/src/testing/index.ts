/**
 * Test support for campaigns: `aCampaign().withDelay('PT2S').compile()`. Imported as
 * `@nudge/campaigns/testing`; the production build (`tsconfig.json` of this lib) excludes this
 * folder, so it never ships in `dist`.
 */
export { aCampaign, CampaignBuilder } from './campaign.builder';
