import type { Attribution } from '@nudge/decisions';
import type { EntityManager } from 'typeorm';

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
