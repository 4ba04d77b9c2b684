import type { LedgerEntry } from '@nudge/capping';
import type { Channel, Decision, EventEnvelope } from '@nudge/contracts';
import type { FallbackStep } from '@nudge/decisions';

/** A decision to record, for one user: a line of the decision log. */
export interface DecisionRecord extends Omit<Decision, 'at' | 'scheduledFor'> {
  userId: string;
  at: Date;
  scheduledFor: Date | null;
}

/**
 * A durable timer: one send of one campaign for one user, due at `dueAt`. A fallback step
 * (`fallback`) whose message dispatch has not yet reported unread (no `observed`) waits
 * with no due time: it is stored with a null `due_at`, and read back as due at the epoch
 * (due whenever dispatch's word comes).
 */
export interface PendingSend {
  sendId: string;
  userId: string;
  campaignId: string;
  campaignVersion: number;
  triggerEventId: string;
  stepId: string;
  dueAt: Date;
  triggerEvent: EventEnvelope;
  fallback?: FallbackStep;
}

/** Whether a send is a fallback step still waiting for dispatch's word: it has no due time yet. */
export function isWaitingFallback(send: PendingSend): boolean {
  return send.fallback !== undefined && send.fallback.observed === undefined;
}

/** A send counted against frequency caps from now on (the cap ledger). */
export interface LedgerRow extends LedgerEntry {
  userId: string;
  sendId: string;
}

/** A user was scheduled for (or sent) a campaign at `at`: the clock of re-eligibility. */
export interface Touch {
  userId: string;
  campaignId: string;
  at: Date;
}

/** The key of a (user, campaign) pair, for touches and attributions. */
export function touchKey(userId: string, campaignId: string): string {
  return `${userId}\u0000${campaignId}`;
}

/** A send (treated) or a held-out send (control) that conversions may count for. */
export interface AttributionRow {
  sendId: string;
  userId: string;
  campaignId: string;
  group: 'treated' | 'held_out';
  at: Date;
  triggerProperties: Record<string, unknown>;
}

/** A double opt-in confirmation asked of an address: dispatch finds it when a YES comes from there. */
export interface OptInAsked {
  userId: string;
  channel: Channel;
  /** Keyed as suppressions key addresses: E.164 numbers, lower-cased e-mail. */
  address: string;
  requestedAt: string;
  /** The `consent_requested` event the confirmation answered. */
  requestEventId: string;
}

/** A conversion counted for a send (or a held-out send) of a campaign. */
export interface ConversionRow {
  sendId: string;
  campaignId: string;
  eventId: string;
  at: Date;
}
