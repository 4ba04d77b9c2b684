// In a module of its own: event.ts lists them among the events only Nudge publishes, and
// consent.ts builds the events; consent.ts also reads event.ts's envelope type (no import cycle).

/**
 * Events a consent change publishes on `nudge.events.v1` (SPEC §9), so campaigns can trigger on
 * them. `consent_requested` (marketing set to `"pending"`) extends SPEC's list: rules answers it
 * with the double opt-in confirmation message.
 */
export const CONSENT_EVENT_NAMES = {
  granted: 'consent_granted',
  withdrawn: 'consent_withdrawn',
  confirmed: 'consent_confirmed',
  requested: 'consent_requested',
} as const;
