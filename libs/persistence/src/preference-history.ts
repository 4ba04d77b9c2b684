import {
  MAX_CONSENT_HISTORY_PAGE_SIZE,
  preferenceChangesBetween,
  type ConsentChangeContext,
  type PreferenceChange,
  type Profile,
} from '@nudge/contracts';
import type { EntityManager } from 'typeorm';
import { newestFirstPage, type HistoryPageQuery } from './history-page';

/** A preference change as stored: `PreferenceChange` and its position in the user's history. */
export type StoredPreferenceChange = PreferenceChange & {
  /** Increases with every change; a page's last id is the cursor of the next (older) page. */
  id: string;
};

/** One page of a user's preference history, newest first, and the cursor of the next (older) page. */
export interface PreferenceHistoryPage {
  changes: StoredPreferenceChange[];
  nextCursor: string | null;
}

/**
 * Appends the preference changes between `before` and `after` (topics, weekly maximum) to the
 * history, in one INSERT, inside the caller's transaction (the one changing the profile,
 * holding the user's lock), with the context's time, source and proof.
 */
export async function appendPreferenceChanges(
  manager: EntityManager,
  before: Profile,
  after: Profile,
  context: ConsentChangeContext,
): Promise<void> {
  const changes = preferenceChangesBetween(before, after, context);
  if (changes.length === 0) return;
  await manager.query(
    `INSERT INTO preference_history (user_id, preference, topic, subscribed, max_per_week, changed_at, source, ip, user_agent, text_version)
     SELECT $1, preference, topic, subscribed, max_per_week, $2::timestamptz, $3, $4, $5, $6
     FROM unnest($7::text[], $8::text[], $9::boolean[], $10::integer[]) AS c(preference, topic, subscribed, max_per_week)`,
    [
      after.userId,
      context.at,
      context.source,
      context.proof?.ip ?? null,
      context.proof?.userAgent ?? null,
      context.proof?.textVersion ?? null,
      changes.map((c) => c.preference),
      changes.map((c) => (c.preference === 'topic' ? c.topic : null)),
      changes.map((c) => (c.preference === 'topic' ? c.subscribed : null)),
      changes.map((c) => (c.preference === 'maxPerWeek' ? c.maxPerWeek : null)),
    ],
  );
}

/**
 * A page of the user's preference history, newest first: at most `limit` changes older than the
 * `before` cursor (a page's `nextCursor`), or from the newest when it is absent.
 */
export async function readPreferenceHistory(
  manager: EntityManager,
  userId: string,
  page: HistoryPageQuery,
): Promise<PreferenceHistoryPage> {
  return newestFirstPage(
    manager,
    {
      table: 'preference_history',
      columns: 'preference, topic, subscribed, max_per_week, changed_at, source, ip, user_agent, text_version',
    },
    userId,
    page,
    MAX_CONSENT_HISTORY_PAGE_SIZE,
    storedChangeOf,
  );
}

interface PreferenceHistoryRow {
  id: string;
  preference: 'topic' | 'maxPerWeek';
  topic: string | null;
  subscribed: boolean | null;
  max_per_week: number | null;
  changed_at: Date;
  source: string;
  ip: string | null;
  user_agent: string | null;
  text_version: string | null;
}

function storedChangeOf(row: PreferenceHistoryRow): StoredPreferenceChange {
  const value =
    row.preference === 'topic'
      ? { preference: 'topic' as const, topic: row.topic ?? '', subscribed: row.subscribed === true }
      : { preference: 'maxPerWeek' as const, maxPerWeek: row.max_per_week };
  return {
    id: row.id,
    ...value,
    at: new Date(row.changed_at).toISOString(),
    source: row.source,
    ip: row.ip,
    userAgent: row.user_agent,
    textVersion: row.text_version,
  };
}
