import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { QueryErrorLogger, type QueryErrorSink } from './query-error-logger';
import { InitialSchema1732460000000 } from './migrations/1732460000000-initial-schema';
import { RulesLedgers1732470000000 } from './migrations/1732470000000-rules-ledgers';
import { DispatchChannels1732480000000 } from './migrations/1732480000000-dispatch-channels';
import { Conversions1732490000000 } from './migrations/1732490000000-conversions';
import { Broadcasts1732500000000 } from './migrations/1732500000000-broadcasts';
import { Journeys1732510000000 } from './migrations/1732510000000-journeys';
import { DispatchHotPath1732520000000 } from './migrations/1732520000000-dispatch-hot-path';
import { Erasure1732530000000 } from './migrations/1732530000000-erasure';
import { DispatchOutbox1732540000000 } from './migrations/1732540000000-dispatch-outbox';
import { PendingReceipts1732560000000 } from './migrations/1732560000000-pending-receipts';
import { Suppressions1732580000000 } from './migrations/1732580000000-suppressions';
import { ConsentHistory1732600000000 } from './migrations/1732600000000-consent-history';
import { DoubleOptIn1732620000000 } from './migrations/1732620000000-double-opt-in';
import { WidgetTokens1732630000000 } from './migrations/1732630000000-widget-tokens';
import { FallbackSteps1732640000000 } from './migrations/1732640000000-fallback-steps';
import { PreferenceHistory1732650000000 } from './migrations/1732650000000-preference-history';
import { UserKeys1732660000000 } from './migrations/1732660000000-user-keys';
import { UserAliases1732670000000 } from './migrations/1732670000000-user-aliases';
import { DeadLetterReplays1732680000000 } from './migrations/1732680000000-dead-letter-replays';

export const MIGRATIONS = [
  InitialSchema1732460000000,
  RulesLedgers1732470000000,
  DispatchChannels1732480000000,
  Conversions1732490000000,
  Broadcasts1732500000000,
  Journeys1732510000000,
  DispatchHotPath1732520000000,
  Erasure1732530000000,
  DispatchOutbox1732540000000,
  PendingReceipts1732560000000,
  Suppressions1732580000000,
  ConsentHistory1732600000000,
  DoubleOptIn1732620000000,
  WidgetTokens1732630000000,
  FallbackSteps1732640000000,
  PreferenceHistory1732650000000,
  UserKeys1732660000000,
  UserAliases1732670000000,
  DeadLetterReplays1732680000000,
];

export interface DatabaseOptions {
  url: string;
  applicationName: string;
  poolSize?: number;
  /** Planner or session settings every connection of the pool starts with (`-c name=value`). */
  sessionSettings?: Record<string, string>;
  /** Where a failed query is reported (by SQLSTATE, never its values); stderr when absent. */
  queryErrorSink?: QueryErrorSink;
}

/** A TypeORM data source for our schema; the schema comes from migrations, never `synchronize`. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    // No entities: every query is SQL; TypeORM keeps only the connection pool and migrations.
    entities: [],
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    // Failed queries are logged by SQLSTATE only: TypeORM's own loggers print their parameters.
    logging: ['error'],
    logger: new QueryErrorLogger(options.queryErrorSink),
    applicationName: options.applicationName,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      ...(options.sessionSettings ? { options: startupOptions(options.sessionSettings) } : {}),
    },
  });
}

function startupOptions(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([name, value]) => {
      if (!/^[a-z_]+$/.test(name) || !/^[A-Za-z0-9_.]+$/.test(value)) throw new Error(`unsupported session setting ${name}=${value}`);
      return `-c ${name}=${value}`;
    })
    .join(' ');
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const { database, adminUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
    return true;
  } catch (error) {
    // Another process created it between our check and our CREATE.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await client.end();
  }
}

/** Drops the database named in `url` (tests clean up after themselves). */
export async function dropDatabase(url: string): Promise<void> {
  const { database, adminUrl } = splitDatabaseUrl(url);
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Creates the database if needed and applies every pending migration. */
export async function migrateDatabase(url: string): Promise<string[]> {
  await ensureDatabase(url);
  const dataSource = createDataSource({ url, applicationName: 'nudge-migrate', poolSize: 1 });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

function splitDatabaseUrl(url: string): { database: string; adminUrl: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`DATABASE_URL names no database: ${url}`);
  parsed.pathname = '/postgres';
  return { database, adminUrl: parsed.toString() };
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The key of a user's advisory lock, as SQL over `expression` (a column or parameter holding
 * the user id): for statements that take the lock themselves, such as a poller's
 * `pg_try_advisory_xact_lock(userLockKey('user_id'))`, so every taker locks the same key.
 */
export function userLockKey(expression: string): string {
  return `hashtextextended(${expression}, 0)`;
}

/**
 * Serialises decisions per user inside the current transaction: a transaction-scoped
 * advisory lock per user id, taken in a fixed order so two batches cannot deadlock.
 *
 * The lock order, everywhere: a transaction takes its users' locks (this, sorted) BEFORE it
 * locks, updates or deletes any row of a per-user table (pending_sends, journey_runs,
 * campaign_touches, send_ledger, exception_events, profiles, processed_events). A poller
 * that finds its rows first either waits for nothing while holding them (it reads candidates
 * without row locks, or only try-locks users: `pg_try_advisory_xact_lock` never waits), or
 * takes the users' locks and then claims the rows again, re-checking they are still there.
 */
export async function lockUsers(manager: EntityManager, userIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return;
  await manager.query(userLocksQuery('$1'), [ids]);
}

/**
 * The query `lockUsers` runs, on the user ids of the text[] parameter `param`: one row per
 * lock, taken in key order. A statement that must hold the users before it writes may run it
 * as a CTE and gate its write on it (`WHERE (SELECT count(*) FROM locks) >= 0`), one round
 * trip for both.
 */
export function userLocksQuery(param: string): string {
  return `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT ${userLockKey('u')} AS k FROM unnest(${param}::text[]) AS u ORDER BY k
     ) AS ordered`;
}

const RETRYABLE = new Set(['40P01', '40001']); // deadlock detected, serialization failure

/** Runs `work` in a transaction, retrying a few times when Postgres aborts it for a deadlock. */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const code = (error as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

/**
 * The rows a statement returned. TypeORM answers `[rows, rowCount]` for UPDATE and
 * DELETE (with RETURNING) but plain rows for everything else.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
