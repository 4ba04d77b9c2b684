import type { Attribution } from '@nudge/decisions';
import type { AttributionRow, ConversionRow } from '@nudge/engine';
import type { EntityManager } from 'typeorm';

/** Records sends (treated) and held-out sends (control) that conversions may count for. */
export async function recordAttributions(manager: EntityManager, rows: readonly AttributionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO attributions (send_id, user_id, campaign_id, grp, at, trigger_properties)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
     ON CONFLICT (send_id) DO NOTHING`,
    [
      rows.map((r) => r.sendId),
      rows.map((r) => r.userId),
      rows.map((r) => r.campaignId),
      rows.map((r) => r.group),
      rows.map((r) => r.at.toISOString()),
      rows.map((r) => JSON.stringify(r.triggerProperties)),
    ],
  );
}

/** Attributions of these users for these campaigns since `since`, keyed `userId\0campaignId`. */
export async function attributionsSince(
  manager: EntityManager,
  userIds: string[],
  campaignIds: string[],
  since: Date,
): Promise<Map<string, Attribution[]>> {
  const rows: {
    send_id: string;
    user_id: string;
    campaign_id: string;
    at: Date;
    trigger_properties: Record<string, unknown>;
    converted: boolean;
  }[] = await manager.query(
    `SELECT a.send_id, a.user_id, a.campaign_id, a.at, a.trigger_properties, c.send_id IS NOT NULL AS converted
       FROM attributions a LEFT JOIN conversions c ON c.send_id = a.send_id
       WHERE a.user_id = ANY($1::text[]) AND a.campaign_id = ANY($2::text[]) AND a.at > $3`,
    [[...new Set(userIds)], [...new Set(campaignIds)], since.toISOString()],
  );
  const byKey = new Map<string, Attribution[]>();
  for (const row of rows) {
    const key = `${row.user_id}\u0000${row.campaign_id}`;
    byKey.set(key, [
      ...(byKey.get(key) ?? []),
      { sendId: row.send_id, at: row.at, triggerProperties: row.trigger_properties, converted: row.converted },
    ]);
  }
  return byKey;
}

export async function recordConversions(manager: EntityManager, conversions: readonly ConversionRow[]): Promise<void> {
  if (conversions.length === 0) return;
  await manager.query(
    `INSERT INTO conversions (send_id, campaign_id, event_id, converted_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
     ON CONFLICT (send_id) DO NOTHING`,
    [
      conversions.map((c) => c.sendId),
      conversions.map((c) => c.campaignId),
      conversions.map((c) => c.eventId),
      conversions.map((c) => c.at.toISOString()),
    ],
  );
}
