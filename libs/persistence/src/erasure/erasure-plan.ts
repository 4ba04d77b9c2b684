import { ERASED_USER_REASON, ERASED_VALUE } from './erased-user-key';

/** The user being erased: the id as the tables hold it, the key that replaces it, and when. */
export interface ErasedUser {
  userId: string;
  /** `erasedUserKey(salt, userId)`. */
  userKey: string;
  /** ISO-8601 time of the erasure. */
  at: string;
}

/** One statement of an erasure: what it does to one table's rows of the user. */
export interface ErasureStep {
  table: string;
  /** What happens to the user's rows, as the README's erasure scope says it. */
  effect: string;
  statement(user: ErasedUser): { sql: string; parameters: unknown[] };
}

/**
 * Tables that hold nothing about a user: configuration, event ids seen (opaque ids), and
 * conversions (send id, campaign, event id, time: the user is reached only through an
 * attribution, which is anonymised).
 */
export const TABLES_WITHOUT_PERSONAL_DATA = [
  'campaigns',
  'campaign_versions',
  'settings',
  'applied_config_files',
  'processed_events',
  'conversions',
  'erasure_salt',
  'dead_letter_replays',
] as const;

/**
 * Tables with personal data an erasure keeps, and why. `suppressions` holds addresses that
 * asked us to stop (keyed by address, not user): deleting one on erasure would let the address
 * be messaged again the day someone re-imports it, so the opt-out is kept to honour the
 * objection (GDPR Art. 17(3)(b), 21; a suppression list is the minimum needed to respect it).
 */
export const TABLES_KEPT_ON_ERASURE: Readonly<Record<string, string>> = {
  suppressions: "kept: an address's opt-out (channel, address, keyword, time) outlives the profile, so it is never messaged again",
};

/** Addresses the user was reached at or wrote from: the profile's, and those of their messages. */
const USER_ADDRESSES = `
  SELECT c.key AS channel, c.value->>'address' AS address
  FROM profiles p CROSS JOIN LATERAL jsonb_each(p.document->'channels') AS c
  WHERE p.user_id = $1 AND c.value ? 'address'
  UNION
  SELECT channel, recipient FROM messages WHERE user_id = $1`;

/**
 * Every statement of an erasure, in order (earlier steps still find the user by the rows later
 * ones anonymise). Rows that feed counts stay, their user id replaced by the user's key and
 * their personal columns blanked; rows kept only to act later for the user are deleted.
 */
export const ERASURE_PLAN: readonly ErasureStep[] = [
  {
    table: 'inbound_messages',
    effect: 'replies and STOPs of the user, or from one of their addresses with no user: sender and text blanked, user id hashed',
    statement: ({ userId, userKey }) => ({
      sql: `UPDATE inbound_messages SET from_address = '${ERASED_VALUE}', text = '', user_id = $2
            WHERE user_id = $1 OR (user_id IS NULL AND (channel, from_address) IN (${USER_ADDRESSES}))`,
      parameters: [userId, userKey],
    }),
  },
  {
    table: 'tracked_links',
    effect: "links of the user's messages: target cut to its origin (path and query may carry profile values); clicks kept",
    statement: ({ userId }) => ({
      sql: `UPDATE tracked_links SET target = COALESCE(substring(target from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?[^/?#]*'), '') || '/'
            WHERE message_id IN (SELECT id FROM messages WHERE user_id = $1)`,
      parameters: [userId],
    }),
  },
  {
    table: 'inbox_items',
    effect: 'in-app items: title and body blanked, user id hashed; read and clicked times kept',
    statement: ({ userId, userKey }) => ({
      sql: `UPDATE inbox_items SET user_id = $2, title = NULL, body = '' WHERE user_id = $1`,
      parameters: [userId, userKey],
    }),
  },
  {
    table: 'pending_receipts',
    effect:
      "deleted: receipts of the user's messages not yet applied (a provider message id, a status and the provider's reason, which may quote an address); found through the messages, so before them",
    statement: ({ userId }) => ({
      sql: `DELETE FROM pending_receipts p USING messages m
            WHERE m.user_id = $1 AND m.provider = p.provider AND m.provider_message_id = p.provider_message_id`,
      parameters: [userId],
    }),
  },
  {
    table: 'messages',
    effect:
      'recipient, body, request snapshot and failure text blanked, user id hashed, statuses kept; a message not yet sent becomes failed ("the user was erased") and its fallback is cancelled',
    statement: ({ userId, userKey, at }) => ({
      sql: `UPDATE messages SET
              user_id = $2, recipient = '${ERASED_VALUE}', body = NULL, request = '{}'::jsonb,
              status = CASE WHEN status = 'queued' THEN 'failed' ELSE status END,
              failure_reason = CASE WHEN status = 'queued' THEN '${ERASED_USER_REASON}'
                                    WHEN failure_reason IS NULL THEN NULL ELSE '${ERASED_VALUE}' END,
              status_history = (SELECT COALESCE(jsonb_agg(jsonb_build_object('status', h->'status', 'at', h->'at') ORDER BY n), '[]'::jsonb)
                                FROM jsonb_array_elements(status_history) WITH ORDINALITY AS s(h, n))
                || CASE WHEN status = 'queued' THEN jsonb_build_array(jsonb_build_object('status', 'failed', 'at', $3::text)) ELSE '[]'::jsonb END,
              next_attempt_at = NULL, fallback_at = NULL, fallback_channels = '[]'::jsonb, updated_at = $3::timestamptz
            WHERE user_id = $1`,
      parameters: [userId, userKey, at],
    }),
  },
  {
    table: 'decisions',
    effect: 'outcomes kept (stats), user id hashed, reason blanked (reasons quote event and profile values)',
    statement: ({ userId, userKey }) => ({
      sql: `UPDATE decisions SET user_id = $2, reason = '${ERASED_VALUE}' WHERE user_id = $1`,
      parameters: [userId, userKey],
    }),
  },
  {
    table: 'pending_sends',
    effect: 'deleted: a delayed send never fires',
    statement: ({ userId }) => ({ sql: 'DELETE FROM pending_sends WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'dispatch_outbox',
    effect: "deleted: the user's status events not yet published (they carry the user id and reply text) are never published",
    statement: ({ userId }) => ({ sql: 'DELETE FROM dispatch_outbox WHERE key = $1', parameters: [userId] }),
  },
  {
    table: 'journey_runs',
    effect: "active runs exited (their timers never fire); every run's trigger event stripped to id, name and times, user id hashed",
    statement: ({ userId, userKey, at }) => ({
      sql: `UPDATE journey_runs SET
              user_id = $2,
              trigger_event = jsonb_build_object('eventId', trigger_event->'eventId', 'userId', $2::text, 'name', trigger_event->'name',
                'timestamp', trigger_event->'timestamp', 'receivedAt', trigger_event->'receivedAt',
                'properties', '{}'::jsonb, 'context', '{}'::jsonb),
              status = CASE WHEN status = 'active' THEN 'exited' ELSE status END,
              due_at = NULL, waiting_for = NULL,
              updated_at = CASE WHEN status = 'active' THEN $3::timestamptz ELSE updated_at END
            WHERE user_id = $1`,
      parameters: [userId, userKey, at],
    }),
  },
  {
    table: 'exception_events',
    effect: 'deleted (kept only to match later triggers of the user)',
    statement: ({ userId }) => ({ sql: 'DELETE FROM exception_events WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'attributions',
    effect: 'kept for conversion and uplift counts: user id hashed, trigger properties emptied',
    statement: ({ userId, userKey }) => ({
      sql: `UPDATE attributions SET user_id = $2, trigger_properties = '{}'::jsonb WHERE user_id = $1`,
      parameters: [userId, userKey],
    }),
  },
  {
    table: 'send_ledger',
    effect: 'kept (sends counted per campaign and channel): user id hashed',
    statement: ({ userId, userKey }) => ({ sql: 'UPDATE send_ledger SET user_id = $2 WHERE user_id = $1', parameters: [userId, userKey] }),
  },
  {
    table: 'campaign_touches',
    effect: 'deleted (re-eligibility of the user only)',
    statement: ({ userId }) => ({ sql: 'DELETE FROM campaign_touches WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'broadcasts',
    effect:
      "an audience cursor that is the user's id moves back to the previous profile's id (the same next page); a batch holding the row is not waited for",
    statement: ({ userId }) => ({
      sql: `UPDATE broadcasts SET cursor = COALESCE((SELECT max(user_id) FROM profiles WHERE user_id < $1), '')
            WHERE id IN (SELECT id FROM broadcasts WHERE cursor = $1 FOR UPDATE SKIP LOCKED)`,
      parameters: [userId],
    }),
  },
  {
    table: 'consent_history',
    effect: 'deleted: every consent change of the user with its proof (IP, user agent, consent text version)',
    statement: ({ userId }) => ({ sql: 'DELETE FROM consent_history WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'preference_history',
    effect: 'deleted: every topic and weekly-maximum change of the user with its proof (IP, user agent, text version)',
    statement: ({ userId }) => ({ sql: 'DELETE FROM preference_history WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'pending_opt_ins',
    effect: 'deleted: the addresses the user was asked to confirm a double opt-in at',
    statement: ({ userId }) => ({ sql: 'DELETE FROM pending_opt_ins WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'widget_tokens',
    effect: "deleted: the user's subscribe-widget codes and the chats they bound",
    statement: ({ userId }) => ({ sql: 'DELETE FROM widget_tokens WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'user_aliases',
    effect: "deleted: the user's aliases (the ids merged into it, each erased with it first) and its own, if it was merged",
    statement: ({ userId }) => ({ sql: 'DELETE FROM user_aliases WHERE user_id = $1 OR previous_id = $1', parameters: [userId] }),
  },
  {
    table: 'profiles',
    effect: 'deleted: attributes, addresses, consent and its log, preferences',
    statement: ({ userId }) => ({ sql: 'DELETE FROM profiles WHERE user_id = $1', parameters: [userId] }),
  },
  {
    table: 'erased_users',
    effect: "the erasure marker: the user's key and the erasure time (the latest, if erased again)",
    statement: ({ userKey, at }) => ({
      sql: `INSERT INTO erased_users (user_key, erased_at) VALUES ($1, $2::timestamptz)
            ON CONFLICT (user_key) DO UPDATE SET erased_at = GREATEST(erased_users.erased_at, EXCLUDED.erased_at)
            RETURNING user_key`,
      parameters: [userKey, at],
    }),
  },
];
