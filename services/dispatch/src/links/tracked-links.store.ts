import { Inject, Injectable } from '@nestjs/common';
import { returnedRows } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource, EntityManager } from 'typeorm';

/** A link as a click leaves it. */
export interface ClickedLink {
  messageId: string;
  target: string;
  /** Clicks so far, this one included: 1 on the first. */
  clicks: number;
}

/** The `tracked_links` table (rows are inserted with their message by MessageStore.insertNew). */
@Injectable()
export class TrackedLinksStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Counts a click on the link, which stays locked until the transaction ends; null for an unknown code. */
  async recordClick(manager: EntityManager, code: string, at: string): Promise<ClickedLink | null> {
    const result: unknown = await manager.query(
      `UPDATE tracked_links SET clicks = clicks + 1, first_clicked_at = COALESCE(first_clicked_at, $2::timestamptz)
       WHERE code = $1 RETURNING message_id, target, clicks`,
      [code, at],
    );
    const [row] = returnedRows<{ message_id: string; target: string; clicks: number }>(result);
    return row ? { messageId: row.message_id, target: row.target, clicks: row.clicks } : null;
  }

  async targetOf(code: string): Promise<string | null> {
    const rows: { target: string }[] = await this.dataSource.query('SELECT target FROM tracked_links WHERE code = $1', [code]);
    return rows[0]?.target ?? null;
  }
}
