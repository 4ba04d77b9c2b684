import type { CarriedConsent } from '@nudge/contracts';

/** An anonymous (previous) id merged into a known user, and what the profile merge took from it. */
export interface MergedUser {
  previousId: string;
  userId: string;
  /** ISO-8601 time of the merge. */
  at: string;
  carried: {
    consent: CarriedConsent[];
    channels: string[];
    topics: string[];
    maxPerWeek: boolean;
  };
}

/** The statements of a merge on one table: what happens to the previous id's rows. */
export interface MergeStep {
  table: string;
  /** What happens to the previous id's rows, as the README's merge list says it. */
  effect: string;
  statements(merge: MergedUser): { sql: string; parameters: unknown[] }[];
}

/**
 * Moves a table's rows keyed `(user_id, <key>)` from the previous id to the known user, except
 * those whose key the known user already holds: the known user's row wins, the previous one is
 * deleted. `set` adds assignments (e.g. the trigger event's user id).
 */
function moveKeyed(table: string, key: string, set = ''): (merge: MergedUser) => { sql: string; parameters: unknown[] }[] {
  return ({ previousId, userId }) => [
    {
      sql: `UPDATE ${table} p SET user_id = $2${set}
            WHERE p.user_id = $1 AND NOT EXISTS (SELECT 1 FROM ${table} k WHERE k.user_id = $2 AND k.${key} = p.${key})`,
      parameters: [previousId, userId],
    },
    { sql: `DELETE FROM ${table} WHERE user_id = $1`, parameters: [previousId] },
  ];
}

/** The trigger event a row keeps is the known user's event from now on (templates and send requests read its userId). */
const TRIGGER_EVENT_OF_KNOWN_USER = `, trigger_event = jsonb_set(p.trigger_event, '{userId}', to_jsonb($2::text))`;

/**
 * The profile side of a merge, run by ingest (`UserMergeStore.alias`) in the alias's
 * transaction, under both users' locks, after the known profile was merged (the previous
 * profile's values it lacked, `profileMergePlan`) and its changes appended to its histories.
 */
export const PROFILE_MERGE_PLAN: readonly MergeStep[] = [
  {
    table: 'consent_history',
    effect:
      "the previous id's changes of the consent values the merge carried move to the known user (the proof of the original opt-in); the others are deleted with the previous profile",
    statements: ({ previousId, userId, carried }) => [
      {
        sql: `UPDATE consent_history SET user_id = $2
              WHERE user_id = $1 AND (channel, category) IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
        parameters: [previousId, userId, carried.consent.map((c) => c.channel), carried.consent.map((c) => c.category)],
      },
      { sql: 'DELETE FROM consent_history WHERE user_id = $1', parameters: [previousId] },
    ],
  },
  {
    table: 'preference_history',
    effect: "the previous id's changes of the topics (and weekly maximum) the merge carried move to the known user; the others are deleted",
    statements: ({ previousId, userId, carried }) => [
      {
        sql: `UPDATE preference_history SET user_id = $2
              WHERE user_id = $1 AND (topic = ANY($3::text[]) OR (preference = 'maxPerWeek' AND $4::boolean))`,
        parameters: [previousId, userId, carried.topics, carried.maxPerWeek],
      },
      { sql: 'DELETE FROM preference_history WHERE user_id = $1', parameters: [previousId] },
    ],
  },
  {
    table: 'pending_opt_ins',
    effect: 'a double opt-in pending at an address the merge carried moves to the known user; the others are deleted',
    statements: ({ previousId, userId, carried }) => [
      {
        sql: `UPDATE pending_opt_ins p SET user_id = $2
              WHERE p.user_id = $1 AND p.channel = ANY($3::text[])
                AND NOT EXISTS (SELECT 1 FROM pending_opt_ins k WHERE k.user_id = $2 AND k.channel = p.channel)`,
        parameters: [previousId, userId, carried.channels],
      },
      { sql: 'DELETE FROM pending_opt_ins WHERE user_id = $1', parameters: [previousId] },
    ],
  },
  {
    table: 'widget_tokens',
    effect: 'moved: a subscribe-widget code the anonymous visitor got binds its chat to the known user',
    statements: ({ previousId, userId }) => [
      { sql: 'UPDATE widget_tokens SET user_id = $2 WHERE user_id = $1', parameters: [previousId, userId] },
    ],
  },
  {
    table: 'user_aliases',
    effect: 'the alias recorded (previous id → known user, once); ids merged into the previous id before now point at the known user',
    statements: ({ previousId, userId, at }) => [
      { sql: 'UPDATE user_aliases SET user_id = $2 WHERE user_id = $1', parameters: [previousId, userId] },
      {
        sql: `INSERT INTO user_aliases (previous_id, user_id, aliased_at) VALUES ($1, $2, $3::timestamptz)
              ON CONFLICT (previous_id) DO NOTHING`,
        parameters: [previousId, userId, at],
      },
    ],
  },
  {
    table: 'profiles',
    effect: "merged into the known profile (the known user's values win), then deleted; its tombstone is published",
    statements: ({ previousId }) => [{ sql: 'DELETE FROM profiles WHERE user_id = $1', parameters: [previousId] }],
  },
];

/**
 * The rules side of a merge, run by rules on the `user_merged` event in the transaction that
 * processes it, under both users' locks: the previous id's state becomes the known user's, so a
 * pending step fires for the known user, caps and re-eligibility count both ids' sends.
 */
export const STATE_MERGE_PLAN: readonly MergeStep[] = [
  {
    table: 'pending_sends',
    effect:
      "moved (its trigger event's userId too): a pending send fires for the known user, at their address; a send id both hold stays the known user's",
    statements: moveKeyed('pending_sends', 'send_id', TRIGGER_EVENT_OF_KNOWN_USER),
  },
  {
    table: 'journey_runs',
    effect:
      'moved with their history (trigger event userId too), so a waiting step goes on for the known user; an active run of a journey the known user is also in is exited first (the known run wins)',
    statements: (merge) => [
      {
        sql: `UPDATE journey_runs SET status = 'exited', due_at = NULL, waiting_for = NULL, updated_at = $3::timestamptz
              WHERE user_id = $1 AND status = 'active'
                AND campaign_id IN (SELECT campaign_id FROM journey_runs WHERE user_id = $2 AND status = 'active')`,
        parameters: [merge.previousId, merge.userId, merge.at],
      },
      ...moveKeyed('journey_runs', 'run_id', TRIGGER_EVENT_OF_KNOWN_USER)(merge),
    ],
  },
  {
    table: 'campaign_touches',
    effect: 'moved; for a campaign both touched, the later touch is kept (re-eligibility counts from the latest of either id)',
    statements: (merge) => [
      {
        sql: `UPDATE campaign_touches k SET touched_at = p.touched_at FROM campaign_touches p
              WHERE k.user_id = $2 AND p.user_id = $1 AND p.campaign_id = k.campaign_id AND p.touched_at > k.touched_at`,
        parameters: [merge.previousId, merge.userId],
      },
      ...moveKeyed('campaign_touches', 'campaign_id')(merge),
    ],
  },
  {
    table: 'send_ledger',
    effect: "moved: the previous id's sends count against the known user's frequency caps",
    statements: moveKeyed('send_ledger', 'send_id'),
  },
  {
    table: 'exception_events',
    effect: 'moved: an exception seen for the previous id still cancels a later trigger of the known user',
    statements: moveKeyed('exception_events', 'event_id'),
  },
  {
    table: 'attributions',
    effect: "moved: the known user's conversion converts a send made to the previous id (conversions follow by send id)",
    statements: ({ previousId, userId }) => [
      { sql: 'UPDATE attributions SET user_id = $2 WHERE user_id = $1', parameters: [previousId, userId] },
    ],
  },
];

/**
 * Tables a merge leaves as they are, and why: history stays under the id it was made for (what
 * was decided for, sent to or received from whom), and tables with no per-user rows. Erasing the
 * known user erases its previous ids too (`user_aliases`), so nothing kept here outlives it.
 */
export const TABLES_LEFT_ON_MERGE: Readonly<Record<string, string>> = {
  decisions: 'kept under the id each was made for: the log is history; decisions after the merge are logged under the known user',
  messages: 'kept: what was sent to whom, at which address; status events of them are decided for the known user',
  inbox_items: "kept: the in-app items of the previous id's messages",
  inbound_messages: 'kept: replies as received',
  tracked_links: "kept: links of the previous id's messages (no user id)",
  pending_receipts: 'no user: receipts waiting for their message',
  dispatch_outbox: 'kept: status events already decided, published under the id of their message',
  processed_events: 'no user: event ids seen',
  conversions: 'no user: follow their attribution by send id',
  suppressions: 'no user: opt-outs per address',
  erased_users: 'no user id: anonymised keys',
  broadcasts: 'no per-user rows',
  campaigns: 'configuration',
  campaign_versions: 'configuration',
  settings: 'configuration',
  applied_config_files: 'configuration',
  erasure_salt: 'configuration',
  dead_letter_replays: 'no user id: Kafka coordinates',
};
