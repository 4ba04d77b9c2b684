import { compileCampaign, validateCampaign, type CompiledCampaign } from '@nudge/campaigns';
import { deriveSendId, type EventEnvelope, type Profile } from '@nudge/contracts';
import type { BroadcastDocument } from './broadcast-request';

/**
 * The trigger event name of a broadcast seen as a campaign. Nothing emits it, and a
 * broadcast is never put in the campaign index, so no event can ever trigger one.
 */
export const BROADCAST_TRIGGER = 'nudge.broadcast';

/**
 * A broadcast as a one-message campaign with no delay: the send-time decision (consent,
 * topic, windows, country rules, caps, channel) and the send request are the campaigns'
 * own, unchanged. Its audience conditions are the campaign's trigger conditions, over the
 * profile. Compiled once per broadcast (version 1: a broadcast never changes).
 */
export function compileBroadcast(document: BroadcastDocument): CompiledCampaign {
  const result = validateCampaign(
    withoutUndefined({
      id: document.id,
      name: document.name,
      category: document.category,
      topic: document.audience.topic,
      status: 'active',
      trigger: withoutUndefined({ event: BROADCAST_TRIGGER, conditions: document.audience.conditions }),
      delay: 'PT0S',
      timeWindow: document.timeWindow,
      frequencyCaps: document.frequencyCaps,
      message: document.message,
    }),
  );
  // The request was validated with the campaign's own field schemas; this cannot fail unless they drift apart.
  if (!result.ok) throw new Error(`broadcast ${document.id} is not a valid campaign: ${JSON.stringify(result.errors)}`);
  return compileCampaign(result.campaign, 1);
}

/** What every send of a broadcast names as its trigger event (decision log, messages). */
export function broadcastTriggerEventId(broadcastId: string): string {
  return `broadcast:${broadcastId}`;
}

/** One send per user per broadcast: a redone batch derives the same ids, and dispatch keeps the first. */
export function broadcastSendId(broadcastId: string, userId: string): string {
  return deriveSendId({ campaignId: broadcastId, triggerEventId: broadcastTriggerEventId(broadcastId), stepId: userId });
}

/** The trigger event of a broadcast's sends, as templates see it (`event`) and pending sends keep it. */
export function broadcastEvent(broadcastId: string, userId: string, sendAt: Date): EventEnvelope {
  return {
    eventId: broadcastTriggerEventId(broadcastId),
    userId,
    name: BROADCAST_TRIGGER,
    timestamp: sendAt.toISOString(),
    receivedAt: sendAt.toISOString(),
    properties: { broadcastId },
    context: {},
  };
}

/**
 * The users of a page who are in the audience, in page order: a profile (still) exists,
 * its topic is switched on — or off since — when the broadcast names one, and the conditions
 * hold. A user who switched the topic off stays in, so the send decision answers `no_consent`
 * "the user switched off the topic" and the log says why they got nothing (a user never
 * subscribed is no one the broadcast was for). The page query filters on the topic already;
 * this is the word on it, on profiles read under the users' locks.
 */
export async function audienceOf(
  campaign: CompiledCampaign,
  page: readonly string[],
  profiles: ReadonlyMap<string, Profile>,
  sendAt: Date,
): Promise<Profile[]> {
  const topic = campaign.document.topic;
  const members: Profile[] = [];
  for (const userId of page) {
    const profile = profiles.get(userId);
    if (!profile) continue;
    if (topic !== undefined && profile.preferences.topics[topic] === undefined) continue;
    if (await campaign.matches({ event: broadcastEvent(campaign.id, userId, sendAt), profile })) members.push(profile);
  }
  return members;
}

function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
