import {
  consentChangesBetween,
  consentEventOf,
  type ConsentChange,
  type ConsentChangeContext,
  type EventEnvelope,
  type Profile,
  MAX_CONSENT_HISTORY_PAGE_SIZE,
  PENDING_CONSENT,
} from '@nudge/contracts';
import type { EntityManager } from 'typeorm';
import { newestFirstPage, type HistoryPageQuery } from './history-page';
import { erasedUserKey, loadErasureSalt } from './erasure';

/** A consent change as stored: `ConsentChange` and its position in the user's history. */
export interface StoredConsentChange extends ConsentChange {
  /** Increases with every change; a page's last id is the cursor of the next (older) page. */
  id: string;
  /** The id of the `consent_*` event the change published. */
  eventId: string;
}

/** One page of a user's consent history, newest first, and the cursor of the next (older) page. */
export interface ConsentHistoryPage {
  changes: StoredConsentChange[];
  nextCursor: string | null;
}

/**
 * Appends the consent changes between `before` and `after` to the history, in one INSERT, inside
 * the caller's transaction (the one changing the profile, holding the user's lock), and answers
 * their `consent_*` events for the caller to publish before the commit.
 */
export async function appendConsentChanges(
  manager: EntityManager,
  before: Profile,
  after: Profile,
  context: ConsentChangeContext,
): Promise<EventEnvelope[]> {
  const changes = consentChangesBetween(before, after, context);
  if (changes.length === 0) return [];
  const identity = { userId: after.userId, incarnation: await incarnationOf(manager, after.userId), version: after.version };
  const events = changes.map((change) => consentEventOf(identity, change));
  // A pending consent is stored as value false, pending true: never consent to a reader of `value`.
  await manager.query(
    `INSERT INTO consent_history (user_id, channel, category, value, pending, changed_at, source, ip, user_agent, text_version, event_id, evidence)
     SELECT $1, channel, category, value, pending, $2::timestamptz, $3, $4, $5, $6, event_id, $12
     FROM unnest($7::text[], $8::text[], $9::boolean[], $10::text[], $11::boolean[]) AS c(channel, category, value, event_id, pending)`,
    [
      after.userId,
      context.at,
      context.source,
      context.proof?.ip ?? null,
      context.proof?.userAgent ?? null,
      context.proof?.textVersion ?? null,
      changes.map((c) => c.channel),
      changes.map((c) => c.category),
      changes.map((c) => c.value === true),
      events.map((e) => e.eventId),
      changes.map((c) => c.value === PENDING_CONSENT),
      context.evidence ?? null,
    ],
  );
  return events;
}

/**
 * A page of the user's consent history, newest first: at most `limit` changes older than the
 * `before` cursor (a page's `nextCursor`), or from the newest when it is absent.
 */
export async function readConsentHistory(manager: EntityManager, userId: string, page: HistoryPageQuery): Promise<ConsentHistoryPage> {
  return newestFirstPage(
    manager,
    {
      table: 'consent_history',
      columns: 'channel, category, value, pending, changed_at, source, ip, user_agent, text_version, event_id, evidence',
    },
    userId,
    page,
    MAX_CONSENT_HISTORY_PAGE_SIZE,
    storedChangeOf,
  );
}

/**
 * When the user id was last erased, or `never`: a consent event's id includes it, so a user
 * created again after an erasure (whose versions start at 1 again) makes new event ids.
 * The caller holds the user's lock, which an erasure also takes.
 */
async function incarnationOf(manager: EntityManager, userId: string): Promise<string> {
  const userKey = erasedUserKey(await loadErasureSalt(manager), userId);
  const rows: { erased_at: Date }[] = await manager.query('SELECT erased_at FROM erased_users WHERE user_key = $1', [userKey]);
  return rows[0] ? new Date(rows[0].erased_at).toISOString() : 'never';
}

interface ConsentHistoryRow {
  id: string;
  channel: ConsentChange['channel'];
  category: ConsentChange['category'];
  value: boolean;
  pending: boolean;
  changed_at: Date;
  source: string;
  ip: string | null;
  user_agent: string | null;
  text_version: string | null;
  event_id: string;
  evidence: string | null;
}

function storedChangeOf(row: ConsentHistoryRow): StoredConsentChange {
  return {
    id: row.id,
    channel: row.channel,
    category: row.category,
    value: row.pending ? PENDING_CONSENT : row.value,
    at: new Date(row.changed_at).toISOString(),
    source: row.source,
    ip: row.ip,
    userAgent: row.user_agent,
    textVersion: row.text_version,
    eventId: row.event_id,
    ...(row.evidence === null ? {} : { evidence: row.evidence }),
  };
}
