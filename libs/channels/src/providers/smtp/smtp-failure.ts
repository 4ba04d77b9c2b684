import { ProviderPermanentError, ProviderTransientError, ProviderUnknownOutcomeError, type ProviderError } from '../../provider-errors';

/** What nodemailer puts on the errors it raises. */
interface SmtpErrorFields {
  code?: string;
  /** The server's reply line, `550 5.1.1 Mailbox unavailable`. */
  response?: string;
  responseCode?: number;
  /** The command the reply answered, `RCPT TO`. */
  command?: string;
  message?: string;
}

/** Failures retrying cannot fix: missing credentials, no usable TLS, an address nodemailer cannot use. */
const PERMANENT_CODES = new Set(['EAUTH', 'EENVELOPE', 'EMESSAGE', 'ETLS', 'EREQUIRETLS']);

/**
 * A timeout or a connection closed mid-session: nodemailer does not say at which command, so
 * the message may have been handed over before the reply was lost.
 */
const UNKNOWN_OUTCOME_CODES = new Set(['ETIMEDOUT', 'ECONNECTION']);

/**
 * Classifies a failed SMTP send. A server reply decides by its class (RFC 5321): 4xx
 * (421 closing, 450/451/452 mailbox busy, local error, no space…) are transient, 5xx
 * (535 bad credentials, 550 mailbox unavailable…) permanent, carrying the server's text.
 * Without a reply, a setup nodemailer refuses is permanent; a timeout or a connection closed
 * mid-session is an unknown outcome (the message may have been handed over); anything else
 * (connection refused, DNS) is transient, so the message is retried rather than lost.
 */
export function smtpFailure(error: unknown): ProviderError {
  const fields = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpErrorFields;
  const { responseCode } = fields;
  if (responseCode !== undefined && responseCode >= 400) {
    const said = `${fields.command ? `${fields.command} rejected` : 'SMTP server answered'}: ${fields.response ?? responseCode}`;
    return responseCode < 500 ? new ProviderTransientError(said) : new ProviderPermanentError(said);
  }
  const reason = `SMTP ${fields.code ?? 'error'}: ${fields.message ?? 'unknown failure'}`;
  if (fields.code !== undefined && PERMANENT_CODES.has(fields.code)) return new ProviderPermanentError(reason);
  if (fields.code !== undefined && UNKNOWN_OUTCOME_CODES.has(fields.code)) return new ProviderUnknownOutcomeError(reason);
  return new ProviderTransientError(reason);
}
