/** Outcome codes of the decision log (SPEC §6). */
export const DECISION_OUTCOMES = [
  'scheduled',
  'sent',
  'conditions_not_met',
  'campaign_inactive',
  'not_eligible',
  'cancelled_exception',
  'deferred_window',
  'dropped_window',
  'capped',
  'no_consent',
  'no_address',
  // Extension: the user is in the campaign's control group (`holdout`), so nothing is sent.
  'held_out',
  // Extensions for journeys: a branch or waitFor step chose the next step (the reason says
  // which and why); a run finished (exit step or after its last step).
  'branched',
  'completed',
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** One line of the decision log, as `GET /v1/users/{userId}/decisions` returns it. */
export interface Decision {
  campaignId: string;
  campaignVersion: number;
  triggerEventId: string;
  stepId: string;
  outcome: DecisionOutcome;
  reason: string;
  at: string;
  scheduledFor: string | null;
}
