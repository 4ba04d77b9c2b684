import { deriveSendId, type Profile, type SendRequest } from '@nudge/contracts';
import { chooseChannel, type AddressSuppressions } from '@nudge/decisions';

/** A message whose fallback time came, as the fallback poller claimed it. */
export interface FallbackCandidate {
  messageId: string;
  status: string;
  request: SendRequest;
}

export type FallbackVerdict = { action: 'none'; reason: string } | { action: 'send'; request: SendRequest; reason: string };

/** Statuses that show the recipient saw the message: no fallback then. */
const SEEN = new Set(['read', 'clicked', 'replied']);

/**
 * Decides what a fallback chain does when its time comes: nothing if the message was
 * read (or clicked, or answered); otherwise a new send request on the first remaining
 * channel the user can receive now (consent, and for marketing no opt-out of its address:
 * `suppressions`), with its own send id (so a re-run sends it once) and the rest of the chain.
 */
export function decideFallback(
  candidate: FallbackCandidate,
  profile: Profile | null,
  now: Date,
  suppressions?: AddressSuppressions,
): FallbackVerdict {
  if (SEEN.has(candidate.status)) return { action: 'none', reason: `message was ${candidate.status}: no fallback` };
  const { request } = candidate;
  const remaining = request.fallback?.channels ?? [];
  const choice = chooseChannel(remaining, request.category, profile, suppressions);
  if (choice.outcome !== 'sent') return { action: 'none', reason: `no fallback channel: ${choice.reason}` };
  const rest = remaining.slice(remaining.indexOf(choice.channel) + 1);
  const stepId = `${request.stepId}>${choice.channel}`;
  const { fallback, ...withoutFallback } = request;
  return {
    action: 'send',
    reason: `message was ${candidate.status}, not read in ${fallback?.after}: falling back to ${choice.channel}`,
    request: {
      ...withoutFallback,
      sendId: deriveSendId({ campaignId: request.campaignId, triggerEventId: request.triggerEventId, stepId }),
      stepId,
      channel: choice.channel,
      to: choice.to,
      decidedAt: now.toISOString(),
      ...(rest.length > 0 && fallback ? { fallback: { channels: rest, after: fallback.after } } : {}),
    },
  };
}
