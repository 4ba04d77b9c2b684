export {
  campaignSchema,
  CAMPAIGN_STATUSES,
  conditionTreeSchema,
  DEFAULT_DELAY,
  frequencyCapSchema,
  messageSchema,
  STEP_TYPES,
  timeWindowSchema,
  type CampaignDocument,
  type CampaignInput,
  type CampaignMessage,
  type CampaignStatus,
  type CampaignStep,
} from './campaign.schema';
export { campaignIdSchema, instantSchema, WEEKDAYS } from './campaign-fields';
export {
  BRANCH_FACTS,
  CONDITION_FACTS,
  CONDITION_OPERATORS,
  conditionIssues,
  type ConditionFact,
  type ConditionLeaf,
  type ConditionOperator,
  type ConditionTree,
} from './condition-tree';
export { readableCampaignIssues, validateCampaign, type CampaignValidation } from './validate-campaign';
export { FILE_PATH, parseCampaignText, type CampaignText } from './campaign-text';
export { compileCampaign } from './compile-campaign';
export type { CompiledBranch, CompiledCampaign, CompiledJourney, CompiledStep } from './compiled-campaign';
export { campaignActivityAt, type CampaignActivity } from './campaign-activity';
export type { BranchFacts, TriggerFacts } from './trigger-conditions';
export { distanceInMeters, isWithinRadius, type GeoCircle, type GeoPoint } from './within-radius';
export { CampaignIndex } from './campaign-index';
export { canonicalJson, checksumOf } from './document-checksum';
