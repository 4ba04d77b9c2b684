import type { Category, Channel } from '@nudge/contracts';
import type { CampaignActivity } from './campaign-activity';
import type { CampaignDocument, CampaignMessage } from './campaign.schema';
import type { BranchMatcher, TriggerFacts } from './trigger-conditions';

// What compiling a campaign yields, in a module of its own: compile-campaign and
// compile-journey both speak it, and neither imports the other for it (no import cycle).

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

/** A journey step ready to run. `next: null` means the journey ends after it. */
export type CompiledStep =
  | {
      readonly type: 'wait';
      readonly id: string;
      readonly next: string | null;
      readonly duration?: string;
      readonly until?: string;
      readonly timezone: string;
    }
  | {
      readonly type: 'message';
      readonly id: string;
      readonly next: string | null;
      readonly message: CampaignMessage;
      readonly send: CompiledCampaign;
    }
  | { readonly type: 'branch'; readonly id: string; readonly branches: readonly CompiledBranch[]; readonly default: string | null }
  | {
      readonly type: 'waitFor';
      readonly id: string;
      readonly event: string;
      readonly match: Readonly<Record<string, string>>;
      readonly timeout: string;
      readonly next: string | null;
      readonly onTimeout: string | null;
    }
  | { readonly type: 'exit'; readonly id: string };

export interface CompiledBranch {
  readonly next: string;
  readonly matches: BranchMatcher;
}

/** A journey's steps, each compiled once per campaign version. */
export interface CompiledJourney {
  readonly firstStepId: string;
  readonly steps: readonly CompiledStep[];
  step(id: string): CompiledStep | undefined;
  /** Event names some waitFor step of this journey waits for. */
  readonly awaitedEvents: ReadonlySet<string>;
}
