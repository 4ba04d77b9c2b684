import { eventInputSchema } from '@nudge/contracts';
import type { ApiOperation } from '@nudge/service-runtime';
import { z } from 'zod';
import { eventBatchSchema } from './event-envelopes';

const acceptedSchema = z.object({
  accepted: z.number().int().min(0).describe('Events accepted (a batch counts each distinct eventId once).'),
});

const orderPlaced = {
  eventId: 'evt_01J9Z3',
  userId: 'u_123',
  name: 'order_placed',
  timestamp: '2026-03-01T10:15:00Z',
  properties: { orderId: 'o_987', total: 42.5, currency: 'EUR' },
};

const eventErrors = {
  503: [{ code: 'unavailable', description: 'Kafka did not take the events in time; nothing was accepted, send them again.' }],
};

/** `POST /v1/events` and `POST /v1/events/batch` (SPEC §3), described with the schemas `event-envelopes.ts` validates with. */
export const EVENTS_OPERATIONS: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/events',
    tag: 'Events',
    summary: 'Send one event',
    description:
      'Accepted once it is in Kafka (202). `eventId` makes a retry idempotent; `timestamp` defaults to the receipt time and must be within `NUDGE_MAX_EVENT_AGE` of it (at most a day ahead). Names only Nudge publishes (consent events, `fallback_due`, `user_merged`) are refused.',
    request: { body: { schema: eventInputSchema, examples: { orderPlaced, minimal: { userId: 'u_123', name: 'app_opened' } } } },
    responses: { 202: { description: 'The event is accepted.', content: { schema: acceptedSchema, examples: { one: { accepted: 1 } } } } },
    errors: eventErrors,
  },
  {
    method: 'post',
    path: '/v1/events/batch',
    tag: 'Events',
    summary: 'Send up to 1000 events, all or nothing',
    description:
      'Every event is checked before any is accepted; a 400 names the problems of all of them (`events[3].timestamp`). Each item is an event as `POST /v1/events` takes it; the same eventId twice keeps the first.',
    request: {
      body: {
        schema: eventBatchSchema.extend({ events: z.array(eventInputSchema).min(1).max(1000) }),
        examples: { two: { events: [orderPlaced, { userId: 'u_456', name: 'app_opened' }] } },
      },
    },
    responses: {
      202: { description: 'The events are accepted.', content: { schema: acceptedSchema, examples: { two: { accepted: 2 } } } },
    },
    errors: eventErrors,
  },
];
