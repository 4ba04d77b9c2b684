import { Injectable } from '@nestjs/common';
import { returnedRows } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';
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
  /** Adds records in the caller's transaction, in one statement, numbered in the order given. */
  async add(manager: EntityManager, records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One JSON array of the changes, split by json_array_elements (no per-field conversion), and their keys beside it.
    await manager.query(
      `INSERT INTO dispatch_outbox (key, change, event_only)
       SELECT r.key, r.change, r.event_only
       FROM ROWS FROM (json_array_elements($1::json), unnest($2::text[]), unnest($3::boolean[])) WITH ORDINALITY
         AS r(change, key, event_only, ordinal)
       ORDER BY r.ordinal`,
      [JSON.stringify(records.map((r) => r.change)), records.map((r) => r.change.message.userId), records.map((r) => r.eventOnly)],
    );
  }

  /** Takes this relay's turn for the transaction; false while another relay has it. */
  async takeRelayTurn(manager: EntityManager): Promise<boolean> {
    const rows: { turn: boolean }[] = await manager.query(`SELECT ${RELAY_TURN} AS turn`);
    return rows[0]?.turn === true;
  }

  /** The oldest records, locked until the transaction ends. */
  async oldest(manager: EntityManager, limit: number): Promise<StoredOutboxRecord[]> {
    const rows: { seq: string; change: OutboxRecord['change']; event_only: boolean }[] = await manager.query(
      `SELECT seq, change, event_only FROM dispatch_outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => ({ seq: String(row.seq), change: row.change, eventOnly: row.event_only }));
  }

  /** Deletes published records; answers how many it deleted. */
  async remove(manager: EntityManager, seqs: string[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const result = await manager.query(`DELETE FROM dispatch_outbox WHERE seq = ANY($1::bigint[]) RETURNING seq`, [seqs]);
    return returnedRows(result).length;
  }
}
