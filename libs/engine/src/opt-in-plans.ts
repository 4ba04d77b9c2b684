import { deriveSendId, type Channel, type EventEnvelope, type Profile, type SendRequest } from '@nudge/contracts';
import { decideOptInConfirmation, type OptInConfirmationVerdict } from '@nudge/decisions';
import { DOUBLE_OPT_IN_CAMPAIGN, type Settings } from '@nudge/settings';
import { effects, mergeEffects, type Effects } from './effects';

/** The step id of a confirmation (its send id derives from the request event and this). */
export const CONFIRM_STEP = 'confirm';
/** System messages have no stored campaign: version 1 names the built-in one. */
const SYSTEM_CAMPAIGN_VERSION = 1;

export interface OptInState {
  profiles: ReadonlyMap<string, Profile>;
  settings: Settings;
  /** How suppressions key an address (E.164 numbers, lower-cased e-mail): a channel rule, handed in. */
  addressKey: (channel: Channel, to: string, country: string | undefined) => string;
}

/**
 * Double opt-in: each `consent_requested` event (a marketing consent set to "pending") is decided
 * like a send, logged under the system campaign `double-opt-in`; a confirmation goes out on the
 * event's channel, and the address asked is remembered for dispatch to find when a YES comes.
 */
export function planOptIns(state: OptInState, requests: readonly EventEnvelope[], now: Date): Effects {
  return mergeEffects(
    ...requests.map((event) => {
      const profile = state.profiles.get(event.userId) ?? null;
      const verdict = decideOptInConfirmation(event, profile, state.settings);
      const decisions = [
        {
          userId: event.userId,
          campaignId: DOUBLE_OPT_IN_CAMPAIGN,
          campaignVersion: SYSTEM_CAMPAIGN_VERSION,
          triggerEventId: event.eventId,
          stepId: CONFIRM_STEP,
          outcome: verdict.outcome,
          reason: verdict.reason,
          at: now,
          scheduledFor: null,
        },
      ];
      if (verdict.outcome !== 'sent' || profile === null) return effects({ decisions });
      return effects({
        decisions,
        requests: [confirmationRequest(event, profile, verdict, now)],
        optIns: [
          {
            userId: event.userId,
            channel: verdict.channel,
            address: state.addressKey(verdict.channel, verdict.to, profile.country),
            requestedAt: event.timestamp,
            requestEventId: event.eventId,
          },
        ],
      });
    }),
  );
}

/** The confirmation as a transactional send request: dispatch renders its Liquid (`{{ confirm_url }}`) and sends it. */
function confirmationRequest(
  event: EventEnvelope,
  profile: Profile,
  verdict: Extract<OptInConfirmationVerdict, { outcome: 'sent' }>,
  now: Date,
): SendRequest {
  return {
    sendId: deriveSendId({ campaignId: DOUBLE_OPT_IN_CAMPAIGN, triggerEventId: event.eventId, stepId: CONFIRM_STEP }),
    campaignId: DOUBLE_OPT_IN_CAMPAIGN,
    campaignVersion: SYSTEM_CAMPAIGN_VERSION,
    category: 'transactional',
    stepId: CONFIRM_STEP,
    userId: event.userId,
    triggerEventId: event.eventId,
    decidedAt: now.toISOString(),
    channel: verdict.channel,
    to: verdict.to,
    message: {
      body: verdict.message.body,
      ...(verdict.message.subject === undefined ? {} : { subject: verdict.message.subject }),
      ...(verdict.message.sender === undefined ? {} : { sender: verdict.message.sender }),
    },
    scope: {
      event,
      profile: { ...profile },
      campaign: { id: DOUBLE_OPT_IN_CAMPAIGN, name: 'Double opt-in confirmation', version: SYSTEM_CAMPAIGN_VERSION },
    },
  };
}
