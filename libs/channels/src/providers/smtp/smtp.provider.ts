import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { ChannelProvider, SendResult } from '../../channel-provider';
import type { OutboundMessage } from '../../outbound-message';
import type { ProviderFactory } from '../../provider-factory';
import { listUnsubscribeHeaders } from './list-unsubscribe';
import { smtpFailure } from './smtp-failure';
import { parseSmtpSettings, type SmtpSettings } from './smtp-settings';

export const SMTP_PROVIDER = 'smtp';

/**
 * Channel `email` over SMTP (nodemailer): a plain-text body, the subject of the message or
 * `defaultSubject`; a marketing message with an unsubscribe link carries List-Unsubscribe
 * and List-Unsubscribe-Post (RFC 8058 one-click), a transactional one never does. SMTP has
 * no delivery receipts, so an accepted message stays `sent`. One connection per message:
 * nothing stays open between batches.
 */
export class SmtpProvider implements ChannelProvider {
  readonly name = SMTP_PROVIDER;
  /**
   * The Message-ID derives from our message id (one per send id), the same on every attempt:
   * SMTP relays do not dedupe on it, but mailbox providers and mail clients show copies with
   * one Message-ID as one message, so a retry after a lost answer is made (README "Unknown
   * outcomes" says how far that goes).
   */
  readonly capabilities = { idempotencyKey: true };
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTLS,
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      ...(settings.auth ? { auth: settings.auth } : {}),
    });
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const from = senderOf(message, this.settings);
    const subject = message.subject ?? this.settings.defaultSubject;
    const unsubscribe =
      message.category === 'marketing' && message.unsubscribe
        ? listUnsubscribeHeaders(message.unsubscribe, this.settings.unsubscribeMailto)
        : undefined;
    try {
      const info = await this.transport.sendMail({
        from,
        to: message.to,
        text: message.body,
        messageId: messageIdHeader(message.messageId, from),
        ...(subject === undefined ? {} : { subject }),
        ...(unsubscribe === undefined ? {} : { headers: unsubscribe }),
      });
      return { outcome: 'accepted', status: 'sent', providerMessageId: info.messageId };
    } catch (error) {
      return { outcome: 'rejected', error: smtpFailure(error) };
    }
  }
}

export const createSmtpProvider: ProviderFactory = (settings, channel, context) =>
  new SmtpProvider(parseSmtpSettings(settings, channel, context));

/** A campaign's sender when it is an address; a sender id meant for SMS (`ACME`) is no e-mail sender, so `from` stands. */
function senderOf(message: OutboundMessage, settings: SmtpSettings): string {
  return message.sender?.includes('@') ? message.sender : settings.from;
}

/** `<messageId@sender-domain>`: the same for every attempt at one message. */
export function messageIdHeader(messageId: string, from: string): string {
  const domain = /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'nudge.invalid';
  return `<${messageId}@${domain}>`;
}
