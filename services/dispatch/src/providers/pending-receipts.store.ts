import { Injectable } from '@nestjs/common';
import type { StatusReport as ProviderStatusReport } from '@nudge/channels';
import { returnedRows } from '@nudge/persistence';
import type { EntityManager } from 'typeorm';

/** A receipt kept until its provider message id is recorded (a `pending_receipts` row). */
export interface PendingReceipt {
  id: string;
  provider: string;
  report: ProviderStatusReport;
}

interface PendingReceiptRow {
  id: string;
  provider: string;
  provider_message_id: string;
  status: ProviderStatusReport['status'];
  reason: string | null;
}

/**
 * The `pending_receipts` table: delivery receipts that came before dispatch recorded the
 * provider message id they name. Only the id, the status and the provider's reason are kept.
 */
@Injectable()
export class PendingReceiptsStore {
  /** Keeps a provider's receipts for ids no message holds yet, in the caller's transaction (one statement). */
  async keep(manager: EntityManager, provider: string, reports: ProviderStatusReport[]): Promise<void> {
    if (reports.length === 0) return;
    await manager.query(
      `INSERT INTO pending_receipts (provider, provider_message_id, status, reason)
       SELECT $1, r.provider_message_id, r.status, r.reason
       FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(provider_message_id, status, reason, ordinal)
       ORDER BY r.ordinal`,
      [provider, reports.map((r) => r.providerMessageId), reports.map((r) => r.status), reports.map((r) => r.reason ?? null)],
    );
  }

  /**
   * Up to `limit` kept receipts whose provider message id a message now holds, oldest first,
   * locked until the transaction ends (another poller skips them).
   */
  async lockMatched(manager: EntityManager, limit: number): Promise<PendingReceipt[]> {
    const rows: PendingReceiptRow[] = await manager.query(
      `SELECT p.id, p.provider, p.provider_message_id, p.status, p.reason FROM pending_receipts p
       WHERE EXISTS (SELECT 1 FROM messages m WHERE m.provider = p.provider AND m.provider_message_id = p.provider_message_id)
       ORDER BY p.id
       LIMIT $1
       FOR UPDATE OF p SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      provider: row.provider,
      report: {
        providerMessageId: row.provider_message_id,
        status: row.status,
        ...(row.reason === null ? {} : { reason: row.reason }),
      },
    }));
  }

  async delete(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(`DELETE FROM pending_receipts WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Drops the receipts kept longer than `waitMs` (their id was never recorded); answers the provider of each. */
  async dropOlderThan(manager: EntityManager, waitMs: number): Promise<string[]> {
    const result = await manager.query(
      `DELETE FROM pending_receipts WHERE received_at < now() - make_interval(secs => $1::double precision / 1000) RETURNING provider`,
      [waitMs],
    );
    return returnedRows<{ provider: string }>(result).map((row) => row.provider);
  }
}
