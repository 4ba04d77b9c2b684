import { emptyProfile, mergeProfile, type EventEnvelope, type EventInput, type Profile, type ProfileUpdate } from '@nudge/contracts';

/** When simulated profiles were made: before any event, so every consent in them counts. */
const BEFORE_ANY_EVENT = '1970-01-01T00:00:00.000Z';

/**
 * An event to simulate, from a validated event input with a timestamp (virtual time comes from
 * event timestamps): received when it happened; `fallbackId` when it names none.
 */
export function simulationEventOf(input: EventInput & { timestamp: string }, fallbackId: string): EventEnvelope {
  const timestamp = new Date(input.timestamp).toISOString();
  return {
    eventId: input.eventId ?? fallbackId,
    userId: input.userId,
    name: input.name,
    timestamp,
    receivedAt: timestamp,
    properties: input.properties ?? {},
    context: input.context ?? {},
  };
}

/** A profile to simulate with, from a validated `PUT /v1/users/{userId}` body, its consents given before any event. */
export function simulationProfileOf(userId: string, update: ProfileUpdate, source: string): Profile {
  return mergeProfile(emptyProfile(userId, BEFORE_ANY_EVENT), update, { at: BEFORE_ANY_EVENT, source });
}
