import { emptyProfile, type EventEnvelope, type Profile } from '@nudge/contracts';

/** Test support: an event envelope with the given properties. */
export function anEvent(properties: Record<string, unknown>, name = 'cart_abandoned'): EventEnvelope {
  return {
    eventId: 'e-1',
    userId: 'u1',
    name,
    timestamp: '2026-11-23T10:00:00.000Z',
    receivedAt: '2026-11-23T10:00:00.100Z',
    properties,
    context: {},
  };
}

/** Test support: a profile with the given attributes. */
export function aProfile(attributes: Record<string, unknown> = {}): Profile {
  return { ...emptyProfile('u1', '2026-11-01T00:00:00.000Z'), attributes };
}
