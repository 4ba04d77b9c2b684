import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';
import { isTransientStatus, unreadableAnswer } from '../shared/provider-http';

/** The Graph API's error answer, `{ error: {…} }`. */
export interface WhatsAppApiError {
  message: string;
  code: number;
  error_subcode?: number;
  error_data?: { details?: string };
}

/** Error codes that pass: throttling (4, 80007, 130429, 131056) and Meta's own temporary failures. */
const TRANSIENT_CODES: ReadonlySet<number> = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004]);

/** Why some refusals happen, for the person reading a failed message. */
const HINTS: Readonly<Record<number, string>> = {
  131047: 'more than 24 hours have passed since the customer last wrote; only a template may be sent',
  190: 'the access token is invalid or has expired',
};

/**
 * The error for a refused `/messages` call: throttling and temporary failures pass, as do
 * 429 and 5xx answers whatever their code; every other refusal (re-engagement 131047,
 * token 190, bad parameters, unknown template) is for good.
 */
export function whatsappRefusal(status: number, error: WhatsAppApiError | undefined): ProviderError {
  if (!error) return unreadableAnswer('WhatsApp', status);
  const subcode = error.error_subcode === undefined ? '' : `, subcode ${error.error_subcode}`;
  const details = error.error_data?.details ? `: ${error.error_data.details}` : '';
  const text = `${error.message} (code ${error.code}${subcode})${details}`;
  if (TRANSIENT_CODES.has(error.code) || isTransientStatus(status)) return new ProviderTransientError(`WhatsApp is busy: ${text}`);
  const hint = HINTS[error.code];
  return new ProviderPermanentError(`WhatsApp refused the message: ${text}${hint ? ` (${hint})` : ''}`);
}
