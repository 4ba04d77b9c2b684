import type { Channel, MessageStatus, SendRequest } from '@nudge/contracts';
import type { TrackedLink } from '../links/message-links';

export interface StatusStamp {
  status: MessageStatus;
  at: string;
  /** Why, where the status alone does not say: an `unknown` stamp tells what became of the message (retried or not, and why). */
  reason?: string;
}

/**
 * The campaign id of STOP and START confirmations: not a campaign of rules, so no decision,
 * cap or consent stands in their way (the address asked), and their statuses are kept out of
 * the deliveries and events topics (they are no campaign's messages).
 */
export const KEYWORD_REPLY_CAMPAIGN = 'keyword-reply';

/** A message as dispatch stores it (one row of `messages`). */
export interface StoredMessage {
  id: string;
  sendId: string;
  campaignId: string;
  campaignVersion: number;
  stepId: string;
  userId: string;
  triggerEventId: string;
  channel: Channel;
  provider: string;
  recipient: string;
  body: string | null;
  segments: number | null;
  status: MessageStatus;
  statusHistory: StatusStamp[];
  failureReason: string | null;
  providerMessageId: string | null;
  attempts: number;
  createdAt: string;
}

/** A message about to be stored: `queued` to be sent, or `failed` before any send (template error, bad address…). */
export interface NewMessage {
  id: string;
  request: SendRequest;
  provider: string;
  /** The request's `to` as the provider takes it (phone numbers in E.164). */
  recipient: string;
  body: string | null;
  /** The `| track` links of the body, stored with the message when it is new. */
  links: TrackedLink[];
  segments: number | null;
  status: 'queued' | 'failed';
  failureReason: string | null;
}

/** The API shape of a message (SPEC §7). */
export interface MessageView {
  id: string;
  sendId: string;
  campaignId: string;
  stepId: string;
  userId: string;
  channel: Channel;
  provider: string;
  to: string;
  body: string | null;
  segments: number | null;
  status: MessageStatus;
  statusHistory: StatusStamp[];
  failureReason: string | null;
  triggerEventId: string;
  createdAt: string;
}

export function toMessageView(message: StoredMessage): MessageView {
  return {
    id: message.id,
    sendId: message.sendId,
    campaignId: message.campaignId,
    stepId: message.stepId,
    userId: message.userId,
    channel: message.channel,
    provider: message.provider,
    to: message.recipient,
    body: message.body,
    segments: message.segments,
    status: message.status,
    statusHistory: message.statusHistory,
    failureReason: message.failureReason,
    triggerEventId: message.triggerEventId,
    createdAt: message.createdAt,
  };
}
