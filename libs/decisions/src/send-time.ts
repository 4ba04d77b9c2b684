import type { CompiledCampaign } from '@nudge/campaigns';
import type { Profile } from '@nudge/contracts';
import type { Settings } from '@nudge/settings';

export interface SendTimeInput {
  campaign: CompiledCampaign;
  profile: Profile | null;
  now: Date;
  settings: Settings;
}

/** Null when now is an allowed time for this send; otherwise it is deferred or dropped. */
export function sendTimeVerdict(
  _input: SendTimeInput,
): { outcome: 'deferred_window'; reason: string; scheduledFor: Date } | { outcome: 'dropped_window'; reason: string } | null {
  return null;
}
