import type { Channel, MessageStatus } from '@nudge/contracts';

/** A provider's HTTP callback as it reached us, with what a signature check needs. */
export interface WebhookRequest {
  /** The full URL the provider called (PUBLIC_URL + path + query): Twilio signs it. */
  url: string;
  method: string;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** The body bytes exactly as received: HMAC signatures are over these. */
  rawBody: Buffer;
  /** The body parsed from JSON or form encoding. */
  body: unknown;
  query: Record<string, string | undefined>;
}

/** A status change a provider reported for one of our messages. */
export interface StatusReport {
  providerMessageId: string;
  status: Extract<MessageStatus, 'sent' | 'delivered' | 'read' | 'failed' | 'expired' | 'clicked'>;
  at?: string;
  reason?: string;
}

/** A message a recipient sent us (a reply, STOP…). */
export interface InboundReport {
  channel: Channel;
  /** The sender's address on the channel, as the provider gives it. */
  from: string;
  text: string;
  at?: string;
  providerMessageId?: string;
}

/**
 * A recipient leaving (or coming back to) us on the channel itself, as the provider reports
 * it: blocked the Telegram bot, unsubscribed from the Viber account, stopped Messenger
 * marketing messages, a STOP the SMS gateway took. It counts as a STOP (or START) from the
 * address, with no text and no confirmation (the channel refuses one or shows its own).
 */
export interface ChannelOptOut {
  channel: Channel;
  /** The recipient's address on the channel, as the provider gives it. */
  from: string;
  /** True: marketing to the address stops; false: it may resume. */
  suppressed: boolean;
  /** The provider's event, named `<provider>:<event>` (`telegram:kicked`, `viber:unsubscribed`…). */
  event: string;
  at?: string;
}

/**
 * A chat asking to subscribe with a subscribe widget's code (issue #12 item 7): Telegram's
 * `/start <code>`, Viber's `conversation_started` context, a Messenger referral's `ref`, a
 * WhatsApp text carrying the code. Dispatch checks the code and binds the chat to its user.
 */
export interface ChannelSubscription {
  channel: Channel;
  /** The chat's address on the channel, as the provider gives it (Telegram chat id, Viber user id, page-scoped id, phone number). */
  from: string;
  /** The code as the chat carried it (not yet checked). */
  code: string;
  /** The provider's event, named `<provider>:<event>` (`telegram:start`, `viber:conversation_started`…). */
  event: string;
  at?: string;
}

/** What a provider's webhook carried: status reports, inbound messages, channel-side opt-outs, widget subscriptions. */
export interface WebhookContent {
  statuses: StatusReport[];
  inbound: InboundReport[];
  /** Absent: none. */
  optOuts?: ChannelOptOut[];
  /** Absent: none. */
  subscriptions?: ChannelSubscription[];
}

/**
 * The webhook side of a provider. `verify` checks the provider's signature scheme (false:
 * answer 401, process nothing); `parse` maps the provider's own states and fields to ours.
 */
export interface WebhookHandler {
  verify(request: WebhookRequest): boolean;
  parse(request: WebhookRequest): WebhookContent;
  /** Some providers check the endpoint with a GET handshake (WhatsApp, Messenger): the answer body, or null when refused. */
  handshake?(request: WebhookRequest): string | null;
}
