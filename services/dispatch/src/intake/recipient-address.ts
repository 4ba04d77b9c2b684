import { isPhoneChannel, toE164 } from '@nudge/channel-rules';
import { SANDBOX_PROVIDER } from '@nudge/channels';
import type { SendRequest } from '@nudge/contracts';

export type RecipientVerdict = { ok: true; address: string } | { ok: false; reason: string };

/** Sandbox test addresses end in `#fail` or `#retry-N` (SandboxProvider); the number before it is checked like any. */
const SANDBOX_TEST_SUFFIX = /#(?:fail|retry-\d+)$/;

/**
 * The address a provider gets for a request: on phone channels (SMS, RCS, WhatsApp) the
 * number in E.164, read in the recipient's country (the profile's, in the request scope)
 * when it has no country code; elsewhere `to` as it is.
 */
export function recipientAddress(request: SendRequest, provider: string): RecipientVerdict {
  if (!isPhoneChannel(request.channel)) return { ok: true, address: request.to };
  const suffix = provider === SANDBOX_PROVIDER ? (SANDBOX_TEST_SUFFIX.exec(request.to)?.[0] ?? '') : '';
  const number = request.to.slice(0, request.to.length - suffix.length);
  const country = request.scope.profile.country;
  const verdict = toE164(number, typeof country === 'string' ? country : undefined);
  return verdict.ok ? { ok: true, address: `${verdict.e164}${suffix}` } : verdict;
}
