import type { Channel, ChannelAddress, Profile, Suppression } from '@nudge/contracts';
import type { EntityManager } from 'typeorm';

/** The key of a (channel, address) in `loadSuppressions`' answer. */
export function suppressionKey({ channel, address }: ChannelAddress): string {
  return `${channel}\u0000${address}`;
}

interface SuppressionRow {
  channel: Channel;
  address: string;
  suppressed: boolean;
  keyword: string;
  source: string;
  changed_at: Date;
}

/** The stored state of many addresses in one query (a batch's, never one query per send), by `suppressionKey`. */
export async function loadSuppressions(manager: EntityManager, addresses: readonly ChannelAddress[]): Promise<Map<string, Suppression>> {
  const distinct = [...new Map(addresses.map((a) => [suppressionKey(a), a])).values()];
  if (distinct.length === 0) return new Map();
  const rows: SuppressionRow[] = await manager.query(
    `SELECT s.channel, s.address, s.suppressed, s.keyword, s.source, s.changed_at
     FROM suppressions s JOIN unnest($1::text[], $2::text[]) AS a(channel, address) ON s.channel = a.channel AND s.address = a.address`,
    [distinct.map((a) => a.channel), distinct.map((a) => a.address)],
  );
  return new Map(rows.map((row) => [suppressionKey(row), suppressionOf(row)]));
}

/**
 * The opt-outs of many users' addresses, by user then channel, in one query (`addressesOf`
 * keys a profile's addresses: channels' `profileAddresses`, as a STOP's sender is keyed). A
 * STOP from a number thus stops every profile that holds it, created before or after it.
 * Users with no stored state for any address are absent.
 */
export async function loadUserSuppressions(
  manager: EntityManager,
  profiles: Iterable<Profile>,
  addressesOf: (profile: Profile) => ChannelAddress[],
): Promise<Map<string, Map<Channel, Suppression>>> {
  const addresses = [...profiles].flatMap((profile) => addressesOf(profile).map((address) => ({ userId: profile.userId, ...address })));
  const stored = await loadSuppressions(manager, addresses);
  const byUser = new Map<string, Map<Channel, Suppression>>();
  for (const { userId, ...address } of addresses) {
    const suppression = stored.get(suppressionKey(address));
    if (!suppression) continue;
    const channels = byUser.get(userId) ?? new Map<Channel, Suppression>();
    channels.set(address.channel, suppression);
    byUser.set(userId, channels);
  }
  return byUser;
}

/**
 * Records an address's opt-out change in the caller's transaction, unless a change asked
 * later is already stored (a late redelivery of a STOP does not undo the START after it).
 * Answers whether it was applied.
 */
export async function applySuppression(manager: EntityManager, change: Suppression): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO suppressions (channel, address, suppressed, keyword, source, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
     ON CONFLICT (channel, address) DO UPDATE SET
       suppressed = EXCLUDED.suppressed, keyword = EXCLUDED.keyword, source = EXCLUDED.source, changed_at = EXCLUDED.changed_at
     WHERE suppressions.changed_at <= EXCLUDED.changed_at
     RETURNING channel`,
    [change.channel, change.address, change.suppressed, change.keyword, change.source, change.changedAt],
  );
  return rows.length > 0;
}

function suppressionOf(row: SuppressionRow): Suppression {
  return {
    channel: row.channel,
    address: row.address,
    suppressed: row.suppressed,
    keyword: row.keyword,
    source: row.source,
    changedAt: new Date(row.changed_at).toISOString(),
  };
}
