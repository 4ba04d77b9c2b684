import type { ApiReference } from '@nudge/service-runtime';
import { EVENTS_OPERATIONS } from './events/events.openapi';
import { SEGMENT_OPERATIONS } from './segment/segment.openapi';
import { USERS_OPERATIONS } from './users/users.openapi';

/** Ingest's `GET /openapi.json`. */
export const INGEST_API: ApiReference = {
  service: 'ingest',
  title: 'Nudge ingest API',
  description:
    'Events, profiles and consent in (SPEC §3, §4, §9), and a Segment-compatible tracking API. Errors are `{"error": {"code", "message", "details": [{"path", "message"}]}}`.',
  operations: [...EVENTS_OPERATIONS, ...USERS_OPERATIONS, ...SEGMENT_OPERATIONS],
};
