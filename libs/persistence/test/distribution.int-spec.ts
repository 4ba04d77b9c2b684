import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DISTRIBUTION_PLAN, distributionPlanTable, dropDatabase, migrateDatabase } from '@nudge/persistence';

interface TableFacts {
  table: string;
  /** `user_id` exists and is NOT NULL (Citus takes no row without its distribution column). */
  userIdRequired: boolean;
  hasPrimaryKey: boolean;
  /** Each unique index (the primary key's included) as its columns; an expression column is `<expr>`. */
  uniqueKeys: { name: string; columns: string[] }[];
}

/** Every table of the migrated schema, with what distributing it by `user_id` asks of it. */
async function schemaFacts(db: Client): Promise<TableFacts[]> {
  const { rows } = await db.query<{
    table: string;
    user_id_required: boolean | null;
    has_pk: boolean;
    unique_keys: TableFacts['uniqueKeys'] | null;
  }>(
    `SELECT c.relname AS table,
       (SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped) AS user_id_required,
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') AS has_pk,
       (SELECT json_agg(json_build_object('name', ic.relname, 'columns',
           (SELECT json_agg(COALESCE(a.attname, '<expr>') ORDER BY k.n)
            FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum AND k.attnum > 0)))
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid AND i.indisunique) AS unique_keys
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY c.relname`,
  );
  return rows.map((r) => ({
    table: r.table,
    userIdRequired: r.user_id_required === true,
    hasPrimaryKey: r.has_pk,
    uniqueKeys: r.unique_keys ?? [],
  }));
}

/** What keeps a table from `create_distributed_table(t, 'user_id')`; empty when nothing does. */
function obstacles(facts: TableFacts): string[] {
  return [
    ...(facts.userIdRequired ? [] : ['no NOT NULL user_id column']),
    ...(facts.hasPrimaryKey ? [] : ['no primary key']),
    ...facts.uniqueKeys
      .filter((key) => !key.columns.includes('user_id'))
      .map((key) => `${key.name} (${key.columns.join(', ')}) lacks user_id`),
  ];
}

// Issue #14 §3: the schema can be distributed by user on Citus — each hot table's primary key
// and unique keys include user_id — and every table has a place in the plan README shows.
describe('the distribution plan against the migrated schema', () => {
  const admin = new URL(process.env.NUDGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  admin.pathname = `/nudge_distribution_${randomBytes(4).toString('hex')}`;
  const url = admin.toString();
  let tables: TableFacts[];

  beforeAll(async () => {
    await migrateDatabase(url);
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      tables = await schemaFacts(db);
    } finally {
      await db.end();
    }
  });

  afterAll(() => dropDatabase(url));

  it('places every table of the schema, and names no table the schema lacks', () => {
    const names = tables.map((t) => t.table);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((t) => !(t in DISTRIBUTION_PLAN))).toEqual([]);
    expect(Object.keys(DISTRIBUTION_PLAN).filter((t) => !names.includes(t))).toEqual([]);
  });

  it('gives every distributed table a required user_id, a primary key, and user_id in every unique key', () => {
    const distributed = tables.filter((t) => DISTRIBUTION_PLAN[t.table]?.placement === 'distributed');
    expect(distributed.map((t) => t.table)).toEqual(expect.arrayContaining(['profiles', 'decisions', 'pending_sends', 'send_ledger']));
    expect(Object.fromEntries(distributed.map((t) => [t.table, obstacles(t)]))).toEqual(
      Object.fromEntries(distributed.map((t) => [t.table, []])),
    );
  });

  it('keeps a table in user-keyed-later only while something still keeps it from being distributed', () => {
    // Once a migration gives such a table its user key, the plan must say it is distributed.
    const later = tables.filter((t) => DISTRIBUTION_PLAN[t.table]?.placement === 'user-keyed-later');
    expect(later.filter((t) => obstacles(t).length === 0).map((t) => t.table)).toEqual([]);
  });

  it('is the table README "Scaling out" shows', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(distributionPlanTable());
  });
});
