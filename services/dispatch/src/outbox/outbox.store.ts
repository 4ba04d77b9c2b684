import { Injectable } from '@nestjs/common';
import { returnedRows } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
import type { StatusChange } from '../messages/status-change';
import type { OutboxRecord, StoredOutboxRecord } from './outbox-records';

/**
 * The relay's turn, an advisory lock of the two-key space (apart from the users' one-key
 * locks): one relay publishes at a time across dispatch instances, so the records of a
 * message reach Kafka in the order they were written.
 */
const RELAY_TURN = 'pg_try_advisory_xact_lock(20241125, 1)';

/** The `dispatch_outbox` table: status events written with their status, until the relay has published them. */
@Injectable()
export class OutboxStore {
  /**
   * Adds records in the caller's transaction, in one statement, numbered in the order given.
   * Consecutive changes of one message share a row (see `rowsOf`): a settled send is one row.
   */
  async add(manager: EntityManager, records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = rowsOf(records);
    // One JSON array of the changes, split by json_array_elements (no per-field conversion), and their keys beside it.
    await manager.query(
      `INSERT INTO dispatch_outbox (key, change, event_only)
       SELECT r.key, r.change, r.event_only
       FROM ROWS FROM (json_array_elements($1::json), unnest($2::text[]), unnest($3::boolean[])) WITH ORDINALITY
         AS r(change, key, event_only, ordinal)
       ORDER BY r.ordinal`,
      [JSON.stringify(rows.map((r) => r.change)), rows.map((r) => r.change.message.userId), rows.map((r) => r.eventOnly)],
    );
  }

  /** Takes this relay's turn for the transaction; false while another relay has it. */
  async takeRelayTurn(manager: EntityManager): Promise<boolean> {
    const rows: { turn: boolean }[] = await manager.query(`SELECT ${RELAY_TURN} AS turn`);
    return rows[0]?.turn === true;
  }

  /** The records of the oldest rows (`limit` rows), locked until the transaction ends, in order. */
  async oldest(manager: EntityManager, limit: number): Promise<StoredOutboxRecord[]> {
    const rows: { seq: string; change: OutboxRecord['change']; event_only: boolean }[] = await manager.query(
      `SELECT seq, change, event_only FROM dispatch_outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.flatMap((row) => recordsOfRow(String(row.seq), row.change, row.event_only));
  }

  /** Deletes the rows of published records; answers how many rows it deleted. */
  async remove(manager: EntityManager, seqs: string[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const result = await manager.query(`DELETE FROM dispatch_outbox WHERE seq = ANY($1::bigint[]) RETURNING seq`, [[...new Set(seqs)]]);
    return returnedRows(result).length;
  }
}

/**
 * A row's `change`: a status change, and the changes of the same message written right after
 * it in the same statement (`followedBy`, without the message: `sent` then `delivered`). A
 * row written before there was `followedBy` is one change, read the same way.
 */
type StoredChange = StatusChange & { followedBy?: Omit<StatusChange, 'message'>[] };

/** Records as rows: a change of the same message as the row before it (neither event-only) joins that row. */
function rowsOf(records: OutboxRecord[]): { change: StoredChange; eventOnly: boolean }[] {
  const rows: { change: StoredChange; eventOnly: boolean }[] = [];
  for (const record of records) {
    const last = rows[rows.length - 1];
    if (last && !last.eventOnly && !record.eventOnly && last.change.message.id === record.change.message.id) {
      const { message: _message, ...rest } = record.change;
      (last.change.followedBy ??= []).push(rest);
    } else rows.push({ change: { ...record.change }, eventOnly: record.eventOnly });
  }
  return rows;
}

/** A row's records, in the order they were written. */
function recordsOfRow(seq: string, stored: StoredChange, eventOnly: boolean): StoredOutboxRecord[] {
  const { followedBy, ...change } = stored;
  return [change, ...(followedBy ?? []).map((next) => ({ ...next, message: change.message }))].map((c) => ({ seq, change: c, eventOnly }));
}
