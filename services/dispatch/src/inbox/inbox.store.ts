import { Inject, Injectable } from '@nestjs/common';
import type { InboxItem } from '@nudge/channels';
import { returnedRows } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import type { StoredInboxItem } from './inbox-item';

export interface InboxFilter {
  /** Only items not read yet. */
  unread: boolean;
  limit: number;
}

/** What the app reported doing with an item. */
export type InboxAction = 'read' | 'clicked';

/** An item the app marked, with the provider its message went through (for the status report). */
export type MarkedInboxItem = StoredInboxItem & { provider: string };

const COLUMNS = 'i.message_id, i.user_id, i.campaign_id, i.title, i.body, i.created_at, i.read_at, i.clicked_at';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `inbox_items` table: every query dispatch runs on it. */
@Injectable()
export class InboxStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /**
   * Files an item under the user of its message; answers it when new, null when it was
   * filed already (a retried send). Without a title from the provider, the subject the
   * message was requested with is the title.
   */
  async insert(item: InboxItem): Promise<StoredInboxItem | null> {
    const result = await this.dataSource.query(
      `INSERT INTO inbox_items AS i (message_id, user_id, campaign_id, title, body, created_at)
       SELECT m.id, m.user_id, $2::text, COALESCE($3::text, m.request->'message'->>'subject'), $4::text, $5::timestamptz
       FROM messages m WHERE m.id = $1
       ON CONFLICT (message_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [item.messageId, item.campaignId, item.title, item.body, item.createdAt],
    );
    const [row] = returnedRows<InboxRow>(result);
    if (row) return fromRow(row);
    const filed: unknown[] = await this.dataSource.query(`SELECT 1 FROM inbox_items WHERE message_id = $1`, [item.messageId]);
    if (filed.length === 0) throw new Error(`no message ${item.messageId} to file into an inbox`);
    return null;
  }

  /** A user's items, newest first. */
  async list(userId: string, filter: InboxFilter): Promise<StoredInboxItem[]> {
    const rows: InboxRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM inbox_items i
       WHERE i.user_id = $1 AND (NOT $2::boolean OR i.read_at IS NULL)
       ORDER BY i.created_at DESC, i.message_id DESC
       LIMIT $3`,
      [userId, filter.unread, filter.limit],
    );
    return rows.map(fromRow);
  }

  /**
   * Stamps the first time an item was read or clicked (a click is also a read); a repeated
   * report keeps the first time. Null when the user has no such item.
   */
  async mark(userId: string, messageId: string, action: InboxAction, at: string): Promise<MarkedInboxItem | null> {
    if (!UUID.test(messageId)) return null;
    const result = await this.dataSource.query(
      `UPDATE inbox_items AS i SET
         read_at = COALESCE(i.read_at, $3::timestamptz),
         clicked_at = CASE WHEN $4::boolean THEN COALESCE(i.clicked_at, $3::timestamptz) ELSE i.clicked_at END
       FROM messages m
       WHERE i.message_id = $1 AND i.user_id = $2 AND m.id = i.message_id
       RETURNING ${COLUMNS}, m.provider`,
      [messageId, userId, at, action === 'clicked'],
    );
    const [row] = returnedRows<InboxRow & { provider: string }>(result);
    return row ? { ...fromRow(row), provider: row.provider } : null;
  }
}

interface InboxRow {
  message_id: string;
  user_id: string;
  campaign_id: string;
  title: string | null;
  body: string;
  created_at: Date;
  read_at: Date | null;
  clicked_at: Date | null;
}

function fromRow(row: InboxRow): StoredInboxItem {
  return {
    messageId: row.message_id,
    userId: row.user_id,
    campaignId: row.campaign_id,
    title: row.title,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
    clickedAt: row.clicked_at?.toISOString() ?? null,
  };
}
