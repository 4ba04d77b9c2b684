import { campaignActivityAt } from './campaign-activity';
import { DEFAULT_DELAY, type CampaignDocument } from './campaign.schema';
import { compileJourney } from './compile-journey';
import type { CompiledCampaign } from './compiled-campaign';
import { compileTriggerConditions } from './trigger-conditions';

/** Compiles a validated document (see validateCampaign) once per version. */
export function compileCampaign(document: CampaignDocument, version: number): CompiledCampaign {
  if (!Number.isInteger(version) || version < 1) throw new Error(`campaign version must be a positive integer, got ${version}`);
  const frozen = deepFreeze(structuredClone(document));
  const channel = frozen.message?.channel;
  return Object.freeze({
    id: frozen.id,
    version,
    document: frozen,
    triggerEvent: frozen.trigger.event,
    category: frozen.category,
    delay: frozen.delay ?? DEFAULT_DELAY,
    channels: Object.freeze(channel === undefined ? [] : typeof channel === 'string' ? [channel] : [...channel]),
    journey: compileJourney(frozen, version, compileCampaign),
    isActiveAt: (at: Date) => campaignActivityAt(frozen, at),
    matches: compileTriggerConditions(frozen.trigger.conditions),
  });
}

/** Freezes every level, so a document shared by concurrent decisions cannot be changed under them. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
