import type { ExceptionEvent } from '@nudge/decisions';
import type { EventEnvelope } from '@nudge/contracts';
import type { EntityManager } from 'typeorm';

/** Keeps exception events, so a trigger that arrives after its exception is still cancelled. */
export async function storeExceptionEvents(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  await manager.query(
    `INSERT INTO exception_events (event_id, user_id, name, occurred_at, properties)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[])
     ON CONFLICT (user_id, event_id) DO NOTHING`,
    [
      events.map((e) => e.eventId),
      events.map((e) => e.userId),
      events.map((e) => e.name),
      events.map((e) => e.timestamp),
      events.map((e) => JSON.stringify(e.properties)),
    ],
  );
}

/** Exception events of these users that happened after `since`, grouped by user. */
export async function exceptionEventsSince(manager: EntityManager, userIds: string[], since: Date): Promise<Map<string, ExceptionEvent[]>> {
  const byUser = new Map<string, ExceptionEvent[]>();
  if (userIds.length === 0) return byUser;
  const rows: { event_id: string; user_id: string; name: string; occurred_at: Date; properties: Record<string, unknown> }[] =
    await manager.query(
      `SELECT event_id, user_id, name, occurred_at, properties FROM exception_events
       WHERE user_id = ANY($1::text[]) AND occurred_at > $2 ORDER BY occurred_at`,
      [[...new Set(userIds)], since.toISOString()],
    );
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push({ eventId: row.event_id, name: row.name, timestamp: row.occurred_at.toISOString(), properties: row.properties });
    byUser.set(row.user_id, list);
  }
  return byUser;
}
