import { ProviderPermanentError, ProviderTransientError, type ProviderError } from '../../provider-errors';

/** Viber's `status` codes other than 0 (ok), with what each means for the message. */
const REFUSALS: Readonly<Record<number, { name: string; reason?: string; transient?: true }>> = {
  1: { name: 'invalidUrl' },
  2: { name: 'invalidAuthToken', reason: 'the bot authentication token is not valid' },
  3: { name: 'badData' },
  4: { name: 'missingData' },
  5: { name: 'receiverNotRegistered', reason: 'the receiver is not a Viber user' },
  6: { name: 'receiverNotSubscribed', reason: 'the receiver has not subscribed to the bot, or has unsubscribed' },
  7: { name: 'publicAccountBlocked', reason: 'the bot is blocked' },
  8: { name: 'publicAccountNotFound' },
  9: { name: 'publicAccountSuspended', reason: 'the bot is suspended' },
  10: { name: 'webhookNotSet', reason: 'the bot has no webhook set, which Viber requires before sending' },
  11: { name: 'receiverNoSuitableDevice', reason: "the receiver's Viber app cannot receive this message" },
  12: { name: 'tooManyRequests', transient: true },
  13: { name: 'apiVersionNotSupported' },
  14: { name: 'incompatibleWithVersion' },
  15: { name: 'publicAccountNotAuthorized' },
  16: { name: 'inchatReplyMessageNotAllowed' },
  17: { name: 'publicAccountIsNotInline' },
  18: { name: 'noPublicChat' },
  19: { name: 'cannotSendBroadcast' },
  20: { name: 'broadcastNotAllowed' },
  21: { name: 'unsupportedCountry', reason: "the receiver's country is not supported" },
  22: { name: 'paymentUnsupported' },
  23: { name: 'freeMessagesExceeded', reason: "the bot's free messages are used up" },
  24: { name: 'noBalance', reason: 'the bot account has no balance' },
};

/**
 * The error for a non-zero Viber `status`. Throttling (12) passes; every documented refusal
 * is for good; a code Viber does not document ("general error") is retried rather than lost.
 */
export function viberRefusal(status: number, statusMessage: string | undefined): ProviderError {
  const known = REFUSALS[status];
  const text = statusMessage ?? known?.name ?? 'general error';
  if (!known) return new ProviderTransientError(`Viber failed: ${text} (status ${status})`);
  if (known.transient) return new ProviderTransientError(`Viber is throttling: ${text} (status ${status})`);
  const reason = known.reason ? `: ${known.reason}` : '';
  return new ProviderPermanentError(`Viber refused the message: ${text} (status ${status})${reason}`);
}
