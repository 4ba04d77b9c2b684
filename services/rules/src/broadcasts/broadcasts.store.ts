import { Inject, Injectable } from '@nestjs/common';
import type { DecisionOutcome } from '@nudge/contracts';
import { inTransaction, returnedRows } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { BroadcastDocument } from './broadcast-request';

export const BROADCAST_STATUSES = ['scheduled', 'running', 'completed', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** A broadcast as the `broadcasts` table keeps it. */
export interface StoredBroadcast {
  id: string;
  document: BroadcastDocument;
  checksum: string;
  status: BroadcastStatus;
  sendAt: Date;
  /** The last user id read from the audience; null before the first batch. */
  cursor: string | null;
  /** Decisions so far, by outcome: one per audience member reached. */
  counts: Partial<Record<DecisionOutcome, number>>;
  /** Profiles read (those subscribed to the topic, when there is one). */
  processed: number;
  /** Of those, the ones in the audience (conditions met), each decided once. */
  audienceSize: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What one batch moves forward, under the row lock its transaction holds. */
export interface BatchProgress {
  cursor: string | null;
  counts: Partial<Record<DecisionOutcome, number>>;
  processed: number;
  audienceSize: number;
  finished: boolean;
  nextBatchAt: Date;
  now: Date;
  owner: string;
}

const COLUMNS = `id, document, checksum, status, send_at, cursor, counts, processed, audience_size, created_at, started_at, finished_at`;

/** Broadcasts in Postgres: created once per id, advanced batch by batch, cancelled on request. */
@Injectable()
export class BroadcastsStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Inserts a new broadcast; an id already taken answers the broadcast stored under it instead. */
  async create(
    document: BroadcastDocument,
    checksum: string,
    sendAt: Date,
    now: Date,
  ): Promise<{ created: boolean; broadcast: StoredBroadcast }> {
    const inserted: BroadcastRow[] = await this.dataSource.query(
      `INSERT INTO broadcasts (id, document, checksum, status, send_at, next_batch_at, created_at)
       VALUES ($1, $2, $3, 'scheduled', $4, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [document.id, document, checksum, sendAt.toISOString(), now.toISOString()],
    );
    if (inserted[0]) return { created: true, broadcast: toStored(inserted[0]) };
    const existing = await this.find(document.id);
    if (!existing) throw new Error(`broadcast ${document.id} was neither inserted nor found`);
    return { created: false, broadcast: existing };
  }

  async find(id: string): Promise<StoredBroadcast | null> {
    const rows: BroadcastRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM broadcasts WHERE id = $1`, [id]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** The most recently created broadcasts, newest first. */
  async recent(limit: number): Promise<StoredBroadcast[]> {
    const rows: BroadcastRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM broadcasts ORDER BY created_at DESC LIMIT $1`, [
      limit,
    ]);
    return rows.map(toStored);
  }

  /** These broadcasts, inside the caller's transaction (for sends that fire later). */
  async findMany(manager: EntityManager, ids: string[]): Promise<StoredBroadcast[]> {
    if (ids.length === 0) return [];
    const rows: BroadcastRow[] = await manager.query(`SELECT ${COLUMNS} FROM broadcasts WHERE id = ANY($1::text[])`, [ids]);
    return rows.map(toStored);
  }

  /**
   * Stops a scheduled or running broadcast and drops its deferred sends. Waits for a batch
   * in flight (it holds the row), so nothing that batch scheduled is left behind; what it
   * already handed to dispatch stays sent. Null when there is no such broadcast.
   */
  async cancel(id: string, now: Date): Promise<StoredBroadcast | null> {
    return inTransaction(this.dataSource, async (manager) => {
      const rows: BroadcastRow[] = await manager.query(`SELECT ${COLUMNS} FROM broadcasts WHERE id = $1 FOR UPDATE`, [id]);
      const current = rows[0];
      if (!current || (current.status !== 'scheduled' && current.status !== 'running')) return current ? toStored(current) : null;
      const updated = returnedRows<BroadcastRow>(
        await manager.query(`UPDATE broadcasts SET status = 'cancelled', finished_at = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [
          id,
          now.toISOString(),
        ]),
      );
      await manager.query('DELETE FROM pending_sends WHERE campaign_id = $1', [id]);
      return toStored(updated[0] as BroadcastRow);
    });
  }

  /** Whether a batch of any broadcast is due: asked before a transaction is opened to claim one. */
  async anyDue(now: Date): Promise<boolean> {
    const [row]: { due: boolean }[] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM broadcasts WHERE status IN ('scheduled', 'running') AND next_batch_at <= $1) AS due`,
      [now.toISOString()],
    );
    return row?.due === true;
  }

  /**
   * Takes the broadcast whose next batch is due soonest, locking its row for the caller's
   * transaction: another instance skips it (SKIP LOCKED) until this batch commits or rolls back.
   */
  async claimDue(manager: EntityManager, now: Date): Promise<StoredBroadcast | null> {
    const rows: BroadcastRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM broadcasts
       WHERE status IN ('scheduled', 'running') AND next_batch_at <= $1
       ORDER BY next_batch_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now.toISOString()],
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Records a batch: the cursor, counts and when the next batch may start (or that there is none). */
  async advance(manager: EntityManager, id: string, progress: BatchProgress): Promise<void> {
    await manager.query(
      `UPDATE broadcasts SET
         status = CASE WHEN $2 THEN 'completed' ELSE 'running' END,
         cursor = $3, counts = $4, processed = $5, audience_size = $6, next_batch_at = $7,
         started_at = coalesce(started_at, $8), finished_at = CASE WHEN $2 THEN $8::timestamptz END, owner = $9
       WHERE id = $1`,
      [
        id,
        progress.finished,
        progress.cursor,
        progress.counts,
        progress.processed,
        progress.audienceSize,
        progress.nextBatchAt.toISOString(),
        progress.now.toISOString(),
        progress.owner,
      ],
    );
  }
}

interface BroadcastRow {
  id: string;
  document: BroadcastDocument;
  checksum: string;
  status: BroadcastStatus;
  send_at: Date;
  cursor: string | null;
  counts: Partial<Record<DecisionOutcome, number>>;
  processed: string;
  audience_size: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

function toStored(row: BroadcastRow): StoredBroadcast {
  return {
    id: row.id,
    document: row.document,
    checksum: row.checksum,
    status: row.status,
    sendAt: row.send_at,
    cursor: row.cursor,
    counts: row.counts,
    processed: Number(row.processed),
    audienceSize: Number(row.audience_size),
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
