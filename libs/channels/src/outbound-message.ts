import type { Category, Channel } from '@nudge/contracts';

/** A rendered message ready for a provider. */
export interface OutboundMessage {
  /** Our message id; passed to providers that accept an idempotency key. */
  messageId: string;
  channel: Channel;
  /** The recipient's address on the channel (phone number, e-mail, device token…). */
  to: string;
  body: string;
  sender?: string;
  subject?: string;
  /** Which attempt this is (1 on the first call); providers may log it. */
  attempt: number;
  category: Category;
  campaignId: string;
  /** When the recipient last wrote to us on this channel (session-window policies), if ever. */
  lastInboundAt?: Date;
  /**
   * The one-click unsubscribe link of a marketing message (RFC 8058), for channels whose
   * messages carry headers (email's List-Unsubscribe). Absent on transactional messages and
   * when recipient links are off.
   */
  unsubscribe?: { url: string; token: string };
  /** The send time, for session-window checks (from the injected clock). */
  now: Date;
}
