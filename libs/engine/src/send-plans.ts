import type { CompiledCampaign } from '@nudge/campaigns';
import type { LedgerEntry } from '@nudge/capping';
import type { Channel, Profile } from '@nudge/contracts';
import { decideFallbackSend, decideSend, type AddressSuppressions, type SendInput } from '@nudge/decisions';
import type { Settings } from '@nudge/settings';
import { mergeEffects, type Effects } from './effects';
import { effectsOfSendVerdict } from './send-verdict';
import type { PendingSend } from './vocabulary';

/** What deciding sends at send time reads: loaded by rules under the users' locks, or kept in memory by simulate. */
export interface SendState {
  /** The campaigns of the sends (a broadcast's too); a send whose campaign is missing is `campaign_inactive`. */
  campaigns: ReadonlyMap<string, CompiledCampaign>;
  profiles: ReadonlyMap<string, Profile>;
  /** Each user's recent sends, for frequency caps (absent: none). */
  ledgers: Pick<ReadonlyMap<string, readonly LedgerEntry[]>, 'get'>;
  /** The opt-outs of users' addresses, by user (absent: none). */
  suppressions: ReadonlyMap<string, AddressSuppressions>;
  settings: Settings;
}

/**
 * Sends that are due, each decided again at send time (campaign, consent, allowed hours, caps;
 * a fallback step over the rest of its chain), in order: a send counts against the caps of the
 * same user's later sends in the batch.
 */
export function planDue(state: SendState, due: readonly PendingSend[], now: Date): Effects {
  // Only the users of this batch's sends change: their ledgers go here, over the state's (not a
  // copy of all of them — `nudge simulate`'s state holds every user's).
  const ledgers = new Map<string, readonly LedgerEntry[]>();
  const parts: Effects[] = [];
  for (const send of due) {
    const campaign = state.campaigns.get(send.campaignId);
    const profile = state.profiles.get(send.userId) ?? null;
    const ledger = ledgers.get(send.userId) ?? state.ledgers.get(send.userId) ?? [];
    const verdict = campaign
      ? decide(send, { campaign, profile, now, settings: state.settings, ledger, suppressions: state.suppressions.get(send.userId) })
      : undefined;
    const effects = effectsOfSendVerdict(send, campaign, profile, verdict, now);
    // Later sends in this batch for the same user count this one against their caps.
    if (effects.ledger.length > 0) ledgers.set(send.userId, [...ledger, ...effects.ledger.map(({ userId: _, ...entry }) => entry)]);
    parts.push(effects);
  }
  return mergeEffects(...parts);
}

/** The send-time verdict: a fallback step is decided over the rest of its chain. */
function decide(send: PendingSend, input: SendInput) {
  return send.fallback ? decideFallbackSend(input, send.fallback) : decideSend(input);
}

/**
 * One page of a broadcast's audience (`sends`: one per member, each user once): decided exactly
 * as due sends are, except that a broadcast moves no re-eligibility clock (nothing triggers it).
 */
export function planBroadcastPage(state: SendState, sends: readonly PendingSend[], now: Date): Effects {
  return { ...planDue(state, sends, now), touches: [] };
}

/** How many of the effects' messages go out on each channel (a broadcast's pace). */
export function sentByChannel(effects: Effects): Map<Channel, number> {
  const counts = new Map<Channel, number>();
  for (const row of effects.ledger) counts.set(row.channel, (counts.get(row.channel) ?? 0) + 1);
  return counts;
}
