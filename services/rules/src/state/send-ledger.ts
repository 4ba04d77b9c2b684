import { longestCapWindow, type FrequencyCaps, type LedgerEntry } from '@nudge/capping';
import type { Category, Channel, Profile } from '@nudge/contracts';
import type { Settings } from '@nudge/settings';
import type { EntityManager } from 'typeorm';

/** Each user's sends since `since`, oldest first, for frequency caps. */
export async function ledgerSince(manager: EntityManager, userIds: string[], since: Date): Promise<Map<string, LedgerEntry[]>> {
  const byUser = new Map<string, LedgerEntry[]>();
  if (userIds.length === 0) return byUser;
  const rows: { send_id: string; user_id: string; campaign_id: string; channel: Channel; category: Category; sent_at: Date }[] =
    await manager.query(
      `SELECT send_id, user_id, campaign_id, channel, category, sent_at FROM send_ledger
     WHERE user_id = ANY($1::text[]) AND sent_at > $2 ORDER BY sent_at`,
      [[...new Set(userIds)], since.toISOString()],
    );
  for (const row of rows) {
    const entries = byUser.get(row.user_id) ?? [];
    entries.push({ campaignId: row.campaign_id, channel: row.channel, category: row.category, sentAt: row.sent_at, sendId: row.send_id });
    byUser.set(row.user_id, entries);
  }
  return byUser;
}

/**
 * The recent sends of these users, as far back as the longest cap that can apply to them:
 * the campaigns' caps, the global ones, and a user's own weekly limit. Nothing when no cap applies.
 */
export async function capLedgers(
  manager: EntityManager,
  userIds: string[],
  campaignCaps: FrequencyCaps['campaign'],
  profiles: Map<string, Profile>,
  settings: Settings,
  now: Date,
): Promise<Map<string, LedgerEntry[]>> {
  const anyWeeklyLimit = [...profiles.values()].some((p) => p.preferences.maxPerWeek !== undefined);
  const window = longestCapWindow({
    campaign: campaignCaps,
    global: settings.frequencyCaps,
    userMaxPerWeek: anyWeeklyLimit ? 1 : undefined,
  });
  if (window === 0) return new Map();
  return ledgerSince(manager, userIds, new Date(now.getTime() - window));
}
