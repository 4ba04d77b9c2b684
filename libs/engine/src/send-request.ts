import type { CompiledCampaign } from '@nudge/campaigns';
import { deriveSendId, fallbackStepId, type Profile, type SendRequest } from '@nudge/contracts';
import type { PendingSend } from './vocabulary';

/** The send request for one decided send: what dispatch needs to render and send it. */
export function sendRequestFor(
  send: Pick<PendingSend, 'sendId' | 'userId' | 'triggerEventId' | 'stepId' | 'triggerEvent'>,
  campaign: CompiledCampaign,
  profile: Profile | null,
  channel: SendRequest['channel'],
  to: string,
  now: Date,
): SendRequest {
  const message = campaign.document.message;
  return {
    sendId: send.sendId,
    campaignId: campaign.id,
    campaignVersion: campaign.version,
    category: campaign.category,
    stepId: send.stepId,
    userId: send.userId,
    triggerEventId: send.triggerEventId,
    decidedAt: now.toISOString(),
    channel,
    to,
    message: {
      sender: message?.sender,
      subject: message?.subject,
      body: message?.body ?? '',
      ...(message?.expireAfter === undefined ? {} : { expireAfter: message.expireAfter }),
    },
    ...fallbackAfter(campaign, channel),
    scope: {
      event: send.triggerEvent,
      profile: (profile ?? { userId: send.userId }) as unknown as Record<string, unknown>,
      campaign: { id: campaign.id, name: campaign.document.name, version: campaign.version },
    },
  };
}

/** The channels after the chosen one, for dispatch to fall back through if it is not read in time. */
function fallbackAfter(campaign: CompiledCampaign, chosen: SendRequest['channel']): Pick<SendRequest, 'fallback'> {
  const after = campaign.document.message?.fallbackAfter;
  const rest = campaign.channels.slice(campaign.channels.indexOf(chosen) + 1);
  return after && rest.length > 0 ? { fallback: { channels: [...rest], after } } : {};
}

/**
 * The fallback step of a send decided with a chain (`request.fallback`): a pending send of its
 * own (`main>sms`, its own send id), kept with the timers but with no due time until dispatch
 * reports the message unread (`fallback_due`). Undefined for a send with no chain left.
 */
export function waitingFallbackOf(send: PendingSend, request: SendRequest): PendingSend | undefined {
  const chain = request.fallback;
  if (!chain) return undefined;
  const stepId = fallbackStepId(send.stepId, chain.channels);
  return {
    sendId: deriveSendId({ campaignId: send.campaignId, triggerEventId: send.triggerEventId, stepId }),
    userId: send.userId,
    campaignId: send.campaignId,
    campaignVersion: request.campaignVersion,
    triggerEventId: send.triggerEventId,
    stepId,
    dueAt: new Date(0),
    triggerEvent: send.triggerEvent,
    fallback: { of: send.sendId, from: request.channel, channels: [...chain.channels], after: chain.after },
  };
}
