import { Inject, Injectable } from '@nestjs/common';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { Settings } from '@nudge/settings';
import type { DataSource } from 'typeorm';
import { checksumOf } from '@nudge/campaigns';

export interface StoredSettings {
  version: number;
  document: Settings;
  source: string;
  updatedAt: string;
}

/** The one settings document in Postgres, versioned like campaigns. */
@Injectable()
export class SettingsStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async save(document: Settings, source: string): Promise<{ change: 'created' | 'updated' | 'unchanged'; settings: StoredSettings }> {
    const checksum = checksumOf(document);
    return inTransaction(this.dataSource, async (manager) => {
      const [current]: { version: number; checksum: string }[] = await manager.query(
        'SELECT version, checksum FROM settings WHERE id = 1 FOR UPDATE',
      );
      if (current?.checksum === checksum) return { change: 'unchanged', settings: (await this.read(manager)) as StoredSettings };
      await manager.query(
        `INSERT INTO settings (id, version, document, source, checksum, updated_at) VALUES (1, $1, $2, $3, $4, now())
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document, source = EXCLUDED.source,
           checksum = EXCLUDED.checksum, updated_at = EXCLUDED.updated_at`,
        [(current?.version ?? 0) + 1, document, source, checksum],
      );
      return { change: current ? 'updated' : 'created', settings: (await this.read(manager)) as StoredSettings };
    });
  }

  find(): Promise<StoredSettings | null> {
    return this.read(this.dataSource.manager);
  }

  private async read(manager: DataSource['manager']): Promise<StoredSettings | null> {
    const rows: { version: number; document: Settings; source: string; updated_at: Date }[] = await manager.query(
      'SELECT version, document, source, updated_at FROM settings WHERE id = 1',
    );
    const row = rows[0];
    return row ? { version: row.version, document: row.document, source: row.source, updatedAt: row.updated_at.toISOString() } : null;
  }
}
