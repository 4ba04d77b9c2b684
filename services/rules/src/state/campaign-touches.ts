import { touchKey, type Touch } from '@nudge/engine';
import type { EntityManager } from 'typeorm';

/** Moves re-eligibility clocks forward, one row per (user, campaign). */
export async function touchCampaigns(manager: EntityManager, all: readonly Touch[]): Promise<void> {
  // One row per (user, campaign): an upsert may not touch the same row twice.
  const latest = new Map<string, Touch>();
  for (const touch of all) {
    const key = touchKey(touch.userId, touch.campaignId);
    if (!latest.has(key) || (latest.get(key) as Touch).at < touch.at) latest.set(key, touch);
  }
  const touches = [...latest.values()];
  if (touches.length === 0) return;
  await manager.query(
    `INSERT INTO campaign_touches (user_id, campaign_id, touched_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
     ON CONFLICT (user_id, campaign_id) DO UPDATE SET touched_at = GREATEST(campaign_touches.touched_at, EXCLUDED.touched_at)`,
    [touches.map((t) => t.userId), touches.map((t) => t.campaignId), touches.map((t) => t.at.toISOString())],
  );
}

/** When each of these users last touched each campaign, keyed `userId\0campaignId`. */
export async function lastTouches(manager: EntityManager, userIds: string[]): Promise<Map<string, Date>> {
  const rows: { user_id: string; campaign_id: string; touched_at: Date }[] = await manager.query(
    'SELECT user_id, campaign_id, touched_at FROM campaign_touches WHERE user_id = ANY($1::text[])',
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((r) => [touchKey(r.user_id, r.campaign_id), r.touched_at]));
}
