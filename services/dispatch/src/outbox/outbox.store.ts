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
    await manager.query(
      `INSERT INTO dispatch_outbox (key, delivery, event)
       SELECT r.key, r.delivery, r.event
       FROM ROWS FROM (json_to_recordset($1::json) AS (key text, delivery json, event json)) WITH ORDINALITY AS r(key, delivery, event, ordinal)
       ORDER BY r.ordinal`,
      [JSON.stringify(records)],
    );
  }

  /** Takes this relay's turn for the transaction; false while another relay has it. */
  async takeRelayTurn(manager: EntityManager): Promise<boolean> {
    const rows: { turn: boolean }[] = await manager.query(`SELECT ${RELAY_TURN} AS turn`);
    return rows[0]?.turn === true;
  }

  /** The oldest records, locked until the transaction ends. */
  async oldest(manager: EntityManager, limit: number): Promise<StoredOutboxRecord[]> {
    const rows: (OutboxRecord & { seq: string })[] = await manager.query(
      `SELECT seq, key, delivery, event FROM dispatch_outbox ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => ({ seq: String(row.seq), key: row.key, delivery: row.delivery, event: row.event }));
  }

  /** Deletes published records; answers how many it deleted. */
  async remove(manager: EntityManager, seqs: string[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const result = await manager.query(`DELETE FROM dispatch_outbox WHERE seq = ANY($1::bigint[]) RETURNING seq`, [seqs]);
    return returnedRows(result).length;
  }
}
