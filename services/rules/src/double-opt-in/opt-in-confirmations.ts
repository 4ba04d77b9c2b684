import { Inject, Injectable } from '@nestjs/common';
import { suppressionAddress } from '@nudge/channels';
import { deriveSendId, type EventEnvelope, type Profile, type SendRequest } from '@nudge/contracts';
import { decideOptInConfirmation, type OptInConfirmationVerdict } from '@nudge/decisions';
import type { JsonProducer, TopicNames } from '@nudge/kafka';
import { loadProfiles, recordPendingOptIns, type PendingOptIn } from '@nudge/persistence';
import { PRODUCER, TOPICS } from '@nudge/service-runtime';
import { DOUBLE_OPT_IN_CAMPAIGN } from '@nudge/settings';
import type { EntityManager } from 'typeorm';
import type { DecisionRecord } from '../decisions/decision-log';
import { SettingsStore } from '../settings/settings-store.service';

/** The step id of a confirmation (its send id derives from the request event and this). */
export const CONFIRM_STEP = 'confirm';
/** System messages have no stored campaign: version 1 names the built-in one. */
const SYSTEM_CAMPAIGN_VERSION = 1;

/**
 * Double opt-in confirmations (issue #12 item 4): each `consent_requested` event (a marketing
 * consent set to `"pending"`) is decided like a send — logged in the decision log under the
 * system campaign `double-opt-in` — and a confirmation goes out on the event's channel with
 * that channel's `doubleOptIn` message. Runs inside trigger evaluation's transaction, with the
 * users locked and the event marked processed, so a redelivered event decides nothing twice;
 * the send id derives from the event (one per pending transition: user, profile version,
 * channel), so a publish retried after a rollback is one message to dispatch. The address
 * asked is remembered (`pending_opt_ins`) for dispatch to find when a YES comes from it.
 */
@Injectable()
export class OptInConfirmations {
  constructor(
    @Inject(PRODUCER) private readonly producer: JsonProducer,
    @Inject(TOPICS) private readonly topics: TopicNames,
    private readonly settings: SettingsStore,
  ) {}

  /** Decides the confirmations of `requests` (their users locked by the caller); answers the decisions to record. */
  async decide(manager: EntityManager, requests: EventEnvelope[], now: Date): Promise<DecisionRecord[]> {
    if (requests.length === 0) return [];
    const profiles = await loadProfiles(
      manager,
      requests.map((e) => e.userId),
    );
    const settings = this.settings.current();
    const decisions: DecisionRecord[] = [];
    const sends: SendRequest[] = [];
    // By user and channel: one row each, the batch's latest request (one upsert cannot touch a row twice).
    const asked = new Map<string, PendingOptIn>();
    for (const event of requests) {
      const profile = profiles.get(event.userId) ?? null;
      const verdict = decideOptInConfirmation(event, profile, settings);
      decisions.push({
        userId: event.userId,
        campaignId: DOUBLE_OPT_IN_CAMPAIGN,
        campaignVersion: SYSTEM_CAMPAIGN_VERSION,
        triggerEventId: event.eventId,
        stepId: CONFIRM_STEP,
        outcome: verdict.outcome,
        reason: verdict.reason,
        at: now,
        scheduledFor: null,
      });
      if (verdict.outcome !== 'sent' || profile === null) continue;
      sends.push(confirmationRequest(event, profile, verdict, now));
      asked.set(`${event.userId}\u0000${verdict.channel}`, {
        userId: event.userId,
        channel: verdict.channel,
        address: suppressionAddress(verdict.channel, verdict.to, profile.country),
        requestedAt: event.timestamp,
        requestEventId: event.eventId,
      });
    }
    await Promise.all([
      this.producer.publish(
        this.topics.dispatch,
        sends.map((request) => ({ key: request.userId, value: request })),
      ),
      recordPendingOptIns(manager, [...asked.values()]),
    ]);
    return decisions;
  }
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
