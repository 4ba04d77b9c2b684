/**
 * Where each table goes when Postgres is more than one node (Citus): every table of the schema
 * is here, and `test/distribution.int-spec.ts` holds the migrated schema to it — a new table
 * must be placed, a `distributed` table keeps `user_id` in its primary key and every unique
 * key, a `user-keyed-later` table is one that still lacks it. README "Scaling out" shows this
 * plan as `distributionPlanTable()` writes it.
 */
export type Placement =
  /** Hot, per user: sharded by `user_id`, so a user's rows and locks live on one node. */
  | 'distributed'
  /** Small, read everywhere, written rarely: a copy on every node. */
  | 'reference'
  /** Not per user and not needed on the workers: stays on the coordinator. */
  | 'local'
  /** Per user, but a key or a lookup without the user is in the way; the reason says which. */
  | 'user-keyed-later';

export interface TablePlacement {
  placement: Placement;
  why: string;
}

export const DISTRIBUTION_PLAN: Readonly<Record<string, TablePlacement>> = {
  profiles: { placement: 'distributed', why: 'one row per user, read on every event of that user' },
  decisions: { placement: 'distributed', why: 'the decision log, appended on every decision; key (user_id, id)' },
  pending_sends: {
    placement: 'distributed',
    why: 'durable timers; key (user_id, send_id); the pollers claim per user (advisory lock, SKIP LOCKED)',
  },
  send_ledger: { placement: 'distributed', why: 'the cap ledger, read and appended under the user lock; key (user_id, send_id)' },
  campaign_touches: { placement: 'distributed', why: 'last touch per user and campaign; key (user_id, campaign_id)' },
  exception_events: { placement: 'distributed', why: 'exception events kept for late triggers; key (user_id, event_id)' },
  journey_runs: { placement: 'distributed', why: 'journey runs, their own timers; key (user_id, run_id)' },
  consent_history: { placement: 'distributed', why: "a user's consent changes, paged newest first; key (user_id, id)" },
  preference_history: { placement: 'distributed', why: "a user's preference changes, paged newest first; key (user_id, id)" },
  pending_opt_ins: { placement: 'distributed', why: 'double opt-in requests; key (user_id, channel)' },

  campaigns: { placement: 'reference', why: 'the campaigns in force, read by every decision' },
  campaign_versions: { placement: 'reference', why: 'every saved version of a campaign, read when a timer fires an older version' },
  settings: { placement: 'reference', why: 'one versioned row (caps, quiet hours, providers)' },
  applied_config_files: { placement: 'reference', why: 'which config files were applied, one row per file' },
  erasure_salt: { placement: 'reference', why: 'one row: the salt of anonymised user keys' },
  erased_users: { placement: 'reference', why: 'anonymised keys of erased users (a hash, not a user id), read when a profile is written' },
  suppressions: {
    placement: 'reference',
    why: 'STOP per (channel, address), not per user: an address may belong to several users; read on every send',
  },

  broadcasts: {
    placement: 'local',
    why: 'one row per broadcast, locked by the runner for a batch; a batch writes many users (broadcast pages aside)',
  },
  dispatch_outbox: {
    placement: 'local',
    why: 'the relay reads it in global seq order under one advisory turn; per-worker outboxes would be the next step',
  },
  pending_receipts: { placement: 'local', why: 'receipts that came before their message: the provider knows no user' },
  migrations: { placement: 'local', why: "TypeORM's bookkeeping of applied migrations" },
  dead_letter_replays: { placement: 'local', why: 'which dead letters the API replayed: Kafka coordinates, no user' },

  messages: {
    placement: 'user-keyed-later',
    why: 'keys id and send_id lack user_id; provider callbacks, links and the sender claim find messages by id or provider id alone',
  },
  attributions: { placement: 'user-keyed-later', why: 'key send_id lacks user_id; conversions reference it by send_id alone' },
  conversions: { placement: 'user-keyed-later', why: 'no user_id column; keyed by the send id of its attribution' },
  processed_events: { placement: 'user-keyed-later', why: "the consumers' dedup by event id: no user_id column" },
  inbox_items: { placement: 'user-keyed-later', why: 'key message_id lacks user_id; read and clicked by message id' },
  tracked_links: { placement: 'user-keyed-later', why: 'no user_id; a click is looked up by its code alone' },
  inbound_messages: {
    placement: 'user-keyed-later',
    why: 'a reply from an unknown address has no user; unique per provider message id',
  },
  widget_tokens: { placement: 'user-keyed-later', why: 'anonymous tokens have no user; looked up by token id' },
  user_aliases: {
    placement: 'user-keyed-later',
    why: 'key previous_id lacks user_id: an event of a merged anonymous id is resolved to its known user by the previous id alone',
  },
};

/** The Citus statement that places `table`, or why there is none. */
export function citusStatement(table: string, { placement }: TablePlacement): string {
  switch (placement) {
    case 'distributed':
      // Same column type and shard count: colocated with every other distributed table by default.
      return `SELECT create_distributed_table('${table}', 'user_id');`;
    case 'reference':
      return `SELECT create_reference_table('${table}');`;
    case 'local':
      return 'none: a table of the coordinator';
    case 'user-keyed-later':
      return 'none yet: its key first';
  }
}

const ORDER: Placement[] = ['distributed', 'reference', 'local', 'user-keyed-later'];

/** The plan as the Markdown table of README "Scaling out": table, placement, Citus statement, why. */
export function distributionPlanTable(): string {
  const rows = Object.entries(DISTRIBUTION_PLAN)
    .sort(([a, pa], [b, pb]) => ORDER.indexOf(pa.placement) - ORDER.indexOf(pb.placement) || a.localeCompare(b))
    .map(([table, plan]) => {
      const statement = citusStatement(table, plan);
      return `| \`${table}\` | ${plan.placement} | ${statement.startsWith('SELECT') ? `\`${statement}\`` : statement} | ${plan.why} |`;
    });
  return ['| table | placement | on Citus | why |', '|---|---|---|---|', ...rows].join('\n');
}
