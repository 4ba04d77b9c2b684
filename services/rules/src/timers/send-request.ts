import type { CompiledCampaign } from '@nudge/campaigns';
import type { Profile, SendRequest } from '@nudge/contracts';
import type { PendingSend } from './pending-sends';

/** The send request for one decided send: what dispatch needs to render and send it. */
export function sendRequestFor(
  send: PendingSend,
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
