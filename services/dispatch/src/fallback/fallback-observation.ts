import { fallbackDueEvent, type EventEnvelope, type MessageStatus, type SendRequest } from '@nudge/contracts';

/** A message whose fallback time came (or that failed), as the fallback poller claimed it. */
export interface FallbackCandidate {
  messageId: string;
  status: MessageStatus;
  request: SendRequest;
}

/**
 * What dispatch tells rules when a message's fallback time comes: the `fallback_due` event
 * with what it saw (the status) and what rules needs to find and decide the fallback step
 * (campaign, trigger event, step, the rest of the chain). Dispatch decides nothing: rules
 * sends the fallback or not, like any send, and a message seen (`read`…) only frees the
 * step. Null for a message sent without a chain.
 */
export function fallbackObservation(candidate: FallbackCandidate, now: Date): EventEnvelope | null {
  const { request } = candidate;
  if (!request.fallback) return null;
  return fallbackDueEvent(
    request.userId,
    {
      messageId: candidate.messageId,
      sendId: request.sendId,
      campaignId: request.campaignId,
      campaignVersion: request.campaignVersion,
      triggerEventId: request.triggerEventId,
      stepId: request.stepId,
      channel: request.channel,
      status: candidate.status,
      after: request.fallback.after,
      channels: request.fallback.channels,
    },
    now,
  );
}
