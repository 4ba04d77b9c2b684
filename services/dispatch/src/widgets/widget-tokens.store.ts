import { Inject, Injectable } from '@nestjs/common';
import type { Channel } from '@nudge/contracts';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { decideWidgetBinding, type WidgetBindingVerdict, type WidgetChatBinding, type WidgetTokenRow } from './widget-binding';

/** A code's row as it is made when a widget page is opened. */
export interface NewWidgetToken {
  id: string;
  widgetId: string;
  userId: string;
  anonymous: boolean;
  createdAt: Date;
  expiresAt: Date;
}

/** Expired rows stay this long (a late redelivery is answered `expired`, not `unknown`), then go. */
const PURGE_AFTER_MS = 7 * 86_400_000;
/** Most expired rows one page view purges: the purge keeps pace with the views that make rows. */
const PURGE_BATCH = 100;

interface TokenRecord {
  id: string;
  widget_id: string;
  user_id: string;
  anonymous: boolean;
  expires_at: Date;
  bindings: Partial<Record<Channel, WidgetChatBinding>>;
}

/** The `widget_tokens` table: what each widget code stands for and the chats it bound. */
@Injectable()
export class WidgetTokensStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Stores a new code's row, and purges a batch of rows expired long enough ago. */
  async insert(token: NewWidgetToken): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO widget_tokens (id, widget_id, user_id, anonymous, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [token.id, token.widgetId, token.userId, token.anonymous, token.createdAt, token.expiresAt],
    );
    await this.dataSource.query(
      `DELETE FROM widget_tokens WHERE id IN (SELECT id FROM widget_tokens WHERE expires_at < $1 ORDER BY expires_at LIMIT ${PURGE_BATCH})`,
      [new Date(token.createdAt.getTime() - PURGE_AFTER_MS)],
    );
  }

  /**
   * Decides what `address` presenting the code of row `id` on `channel` does, with the row
   * locked, and claims the code for that chat when it binds (not yet `bound`: that is marked
   * once the consent is recorded). Two deliveries of one `/start` at once: the second waits,
   * then sees the claim of the same chat (`resume`, whose consent change is then a no-op).
   */
  claim(id: string, channel: Channel, address: string, now: Date): Promise<WidgetBindingVerdict> {
    return inTransaction(this.dataSource, async (manager) => {
      const records: TokenRecord[] = await manager.query(
        'SELECT id, widget_id, user_id, anonymous, expires_at, bindings FROM widget_tokens WHERE id = $1 FOR UPDATE',
        [id],
      );
      const record = records[0];
      const verdict = decideWidgetBinding(record === undefined ? null : rowOf(record), channel, address, now);
      if (verdict.outcome === 'bind') {
        const binding: WidgetChatBinding = { address, at: now.toISOString(), bound: false };
        await manager.query('UPDATE widget_tokens SET bindings = bindings || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1', [
          id,
          channel,
          JSON.stringify(binding),
        ]);
      }
      return verdict;
    });
  }

  /** Marks the chat's claim bound: its consent is recorded, and the same code from it changes nothing again. */
  async markBound(id: string, channel: Channel): Promise<void> {
    await this.dataSource.query(
      `UPDATE widget_tokens SET bindings = jsonb_set(bindings, ARRAY[$2::text, 'bound'], 'true'::jsonb) WHERE id = $1 AND bindings ? $2`,
      [id, channel],
    );
  }
}

function rowOf(record: TokenRecord): WidgetTokenRow {
  return {
    id: record.id,
    widgetId: record.widget_id,
    userId: record.user_id,
    anonymous: record.anonymous,
    expiresAt: new Date(record.expires_at),
    bindings: record.bindings,
  };
}
