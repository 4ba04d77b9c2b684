import type { Logger as TypeOrmLogger } from 'typeorm';

/** Where a failed query is reported: one line, by default the process's stderr. */
export type QueryErrorSink = (line: string) => void;

/**
 * TypeORM's logger for our data sources: a failed query is reported by its SQLSTATE, table
 * and constraint only. TypeORM's own loggers print the parameters, and Postgres' message
 * and `detail` may quote them (`Key (user_id)=(ana@example.com) already exists`): personal
 * data never reaches the log this way. The error itself still reaches the caller.
 */
export class QueryErrorLogger implements TypeOrmLogger {
  constructor(private readonly sink: QueryErrorSink = (line) => process.stderr.write(`${line}\n`)) {}

  logQueryError(error: string | Error): void {
    this.sink(`typeorm: query failed: ${describeQueryError(error)}`);
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** A database error told without any value it may quote: `SQLSTATE 23505 (table users, constraint users_pkey)`. */
export function describeQueryError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const { code, table, constraint } = error as { code?: unknown; table?: unknown; constraint?: unknown };
  const where = [typeof table === 'string' && `table ${table}`, typeof constraint === 'string' && `constraint ${constraint}`].filter(
    Boolean,
  );
  return `SQLSTATE ${typeof code === 'string' ? code : 'unknown'}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}
