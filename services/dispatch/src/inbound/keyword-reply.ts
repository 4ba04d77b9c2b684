import { countSmsSegments, type KeywordIntent } from '@nudge/channel-rules';
import { deriveSendId, type Channel, type SendRequest } from '@nudge/contracts';
import type { KeywordReplies } from '@nudge/settings';
import { randomUUID } from 'node:crypto';
import { KEYWORD_REPLY_CAMPAIGN, type NewMessage } from '../messages/message';

/** What a keyword confirmation answers: one inbound message, known by its provider's id (or ours when it gives none). */
export interface KeywordReplyInput {
  provider: string;
  channel: Channel;
  /** The inbound message's sender as dispatch keeps it (phone numbers in E.164): where the reply goes. */
  to: string;
  intent: KeywordIntent;
  /** The provider's id of the inbound message: a redelivery derives the same send id, so it is stored once. */
  inboundId: string;
  /** Whose message the keyword answered; the address itself when none was sent to it. */
  userId: string;
  replies: KeywordReplies;
  at: string;
}

/**
 * The confirmation of a STOP or START, as a message to store and send like any other: its
 * send id derives from the inbound message's id (the exactly-once gate of `insertNew` makes a
 * redelivered webhook reply nothing twice); its text is the settings' `keywords`, sent as is.
 */
export function keywordReply(input: KeywordReplyInput, provider: string): NewMessage {
  const { channel, to, intent, userId, at } = input;
  const body = intent === 'stop' ? input.replies.stopReply : input.replies.startReply;
  const triggerEventId = `inbound:${input.provider}:${input.inboundId}`;
  const request: SendRequest = {
    sendId: keywordReplySendId(input.provider, input.inboundId),
    campaignId: KEYWORD_REPLY_CAMPAIGN,
    campaignVersion: 1,
    category: 'transactional',
    stepId: intent,
    userId,
    triggerEventId,
    decidedAt: at,
    channel,
    to,
    message: { body },
    scope: {
      event: { eventId: triggerEventId, userId, name: `keyword_${intent}`, timestamp: at, receivedAt: at, properties: {}, context: {} },
      profile: {},
      campaign: { id: KEYWORD_REPLY_CAMPAIGN, version: 1 },
    },
  };
  return {
    id: randomUUID(),
    request,
    provider,
    recipient: to,
    body,
    links: [],
    segments: channel === 'sms' ? countSmsSegments(body).segments : null,
    status: 'queued',
    failureReason: null,
  };
}

/** The send id of the confirmation of one inbound message: the same inbound message, the same send. */
export function keywordReplySendId(provider: string, inboundId: string): string {
  return deriveSendId({ campaignId: KEYWORD_REPLY_CAMPAIGN, triggerEventId: `inbound:${provider}:${inboundId}`, stepId: 'reply' });
}
