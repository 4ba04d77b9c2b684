import { touchKey } from '@nudge/engine';
import type { EntityManager } from 'typeorm';

/** When each of these users last touched each campaign, keyed `userId\0campaignId`. */
export async function lastTouches(manager: EntityManager, userIds: string[]): Promise<Map<string, Date>> {
  const rows: { user_id: string; campaign_id: string; touched_at: Date }[] = await manager.query(
    'SELECT user_id, campaign_id, touched_at FROM campaign_touches WHERE user_id = ANY($1::text[])',
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((r) => [touchKey(r.user_id, r.campaign_id), r.touched_at]));
}
