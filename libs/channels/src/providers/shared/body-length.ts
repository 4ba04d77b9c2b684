import type { SendRejected } from '../../channel-provider';
import { ProviderPermanentError } from '../../provider-errors';

/**
 * The refusal of a body longer than the provider takes, decided before calling it (a retry
 * could never help): `the message has <n> characters; <provider> takes at most <max>`.
 * Undefined when the body fits.
 */
export function refuseLongBody(provider: string, body: string, maxLength: number): SendRejected | undefined {
  if (body.length <= maxLength) return undefined;
  const reason = `the message has ${body.length} characters; ${provider} takes at most ${maxLength}`;
  return { outcome: 'rejected', error: new ProviderPermanentError(reason) };
}
