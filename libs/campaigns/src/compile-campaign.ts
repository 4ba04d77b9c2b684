import type { Category, Channel } from '@nudge/contracts';
import { campaignActivityAt, type CampaignActivity } from './campaign-activity';
import { DEFAULT_DELAY, type CampaignDocument } from './campaign.schema';
import { compileJourney, type CompiledJourney } from './compile-journey';
import { compileTriggerConditions, type TriggerFacts } from './trigger-conditions';

/** One version of a campaign, made ready once for the hot path: what the rules ask of it per event. */
export interface CompiledCampaign {
  readonly id: string;
  readonly version: number;
  /** The validated document, frozen. */
  readonly document: CampaignDocument;
  readonly triggerEvent: string;
  readonly category: Category;
  /** ISO-8601 duration from the trigger event's timestamp to the send (`PT0S` for journeys). */
  readonly delay: string;
  /** The channel, or the fallback chain in order; empty for a journey, whose steps name channels. */
  readonly channels: readonly Channel[];
  /** The steps of a journey, compiled; null for a one-message campaign. */
  readonly journey: CompiledJourney | null;
  /** Whether the campaign takes triggers at `at`, and why not (status, schedule). */
  isActiveAt(at: Date): CampaignActivity;
  /** Whether the trigger conditions hold for this event and profile. */
  matches(facts: TriggerFacts): Promise<boolean>;
}

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
