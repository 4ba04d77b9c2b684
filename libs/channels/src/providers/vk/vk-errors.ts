import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';

/** VK API errors that mean "not now": unknown and internal errors, too many requests, flood control, rate limit. */
const TRANSIENT_CODES = new Set([1, 6, 9, 10, 29]);

/** What VK's refusals mean for the recipient, where VK's own text is terse. */
const REASONS: Readonly<Record<number, string>> = {
  900: 'the user has blocked this community',
  901: 'the user has not allowed messages from this community',
  902: "the user's privacy settings do not allow messages from this community",
};

/** The error for a VK API `{ error: { error_code, error_msg } }`. */
export function vkRefusal(code: number, text: string): ProviderError {
  if (TRANSIENT_CODES.has(code)) return new ProviderTransientError(`VK failed: ${text} (error ${code})`);
  const reason = REASONS[code];
  if (reason) return new ProviderPermanentError(`VK refused the message: ${reason} (error ${code}: ${text})`);
  return new ProviderPermanentError(`VK refused the message: ${text} (error ${code})`);
}
