import { CHANNELS, CONSENT_EVENT_NAMES, PENDING_CONSENT, type Channel, type EventEnvelope, type Profile } from '@nudge/contracts';
import type { DoubleOptInMessage, Settings } from '@nudge/settings';

/** Whether a confirmation goes out for a `consent_requested` event, where, and with which message. */
export type OptInConfirmationVerdict =
  | { outcome: 'sent'; reason: string; channel: Channel; to: string; message: DoubleOptInMessage }
  | { outcome: 'campaign_inactive' | 'conditions_not_met' | 'no_address'; reason: string };

/** Whether an event asks for a double opt-in confirmation (a marketing consent set to `"pending"`). */
export function isOptInRequest(event: Pick<EventEnvelope, 'name'>): boolean {
  return event.name === CONSENT_EVENT_NAMES.requested;
}

/**
 * Decides the double opt-in confirmation of one `consent_requested` event against the profile
 * read now: sent on the event's channel to its address with that channel's `doubleOptIn`
 * message — unless the channel has none configured (`campaign_inactive`), the consent is no
 * longer pending (`conditions_not_met`: confirmed or refused meanwhile) or there is no address.
 * It is transactional: no consent, cap, window or suppression applies — the person has just
 * asked for it, and it carries no marketing.
 */
export function decideOptInConfirmation(event: EventEnvelope, profile: Profile | null, settings: Settings): OptInConfirmationVerdict {
  const channel = event.properties['channel'];
  if (!isChannel(channel) || event.properties['category'] !== 'marketing') {
    return { outcome: 'conditions_not_met', reason: 'not a request for marketing consent on a known channel' };
  }
  const entry = profile?.channels[channel];
  if (entry?.consent.marketing !== PENDING_CONSENT) {
    const now = entry?.consent.marketing;
    return {
      outcome: 'conditions_not_met',
      reason: `marketing consent on ${channel} is no longer pending (now ${String(now ?? 'unset')})`,
    };
  }
  if (!entry.address) return { outcome: 'no_address', reason: `no address on ${channel} to confirm` };
  const message = settings.doubleOptIn[channel];
  if (message === undefined) {
    return {
      outcome: 'campaign_inactive',
      reason: `double opt-in is not configured for ${channel} (settings doubleOptIn.${channel}): no confirmation sent; marketing stays blocked while pending`,
    };
  }
  return { outcome: 'sent', channel, to: entry.address, message, reason: `double opt-in confirmation of marketing on ${channel}` };
}

function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
}
