import { Inject, Injectable } from '@nestjs/common';
import { ConflictError } from '@nudge/contracts';
import { inTransaction } from '@nudge/persistence';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';
import { checksumOf } from '@nudge/campaigns';

export interface StoredCampaign {
  id: string;
  version: number;
  document: Record<string, unknown>;
  source: string;
  updatedAt: string;
}

export type SaveResult = { change: 'created' | 'updated' | 'unchanged'; campaign: StoredCampaign };

/** Campaign documents in Postgres: the running version per id and every version ever saved. */
@Injectable()
export class CampaignsStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Saves a validated document; the version goes up only when the document changed. */
  async save(id: string, document: Record<string, unknown>, source: string): Promise<SaveResult> {
    const checksum = checksumOf(document);
    return inTransaction(this.dataSource, async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 1))', [`campaign:${id}`]);
      // Broadcasts' sends are found by campaign id too: the two must never share one.
      const [broadcast]: unknown[] = await manager.query('SELECT 1 FROM broadcasts WHERE id = $1', [id]);
      if (broadcast) throw new ConflictError(`"${id}" is the id of a broadcast; give the campaign another id`);
      const [current]: { version: number; checksum: string }[] = await manager.query(
        'SELECT version, checksum FROM campaigns WHERE id = $1',
        [id],
      );
      if (current?.checksum === checksum) return { change: 'unchanged', campaign: await this.readIn(manager, id) };
      const version = (current?.version ?? 0) + 1;
      await manager.query(
        `INSERT INTO campaigns (id, version, document, source, checksum, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document,
           source = EXCLUDED.source, checksum = EXCLUDED.checksum, updated_at = EXCLUDED.updated_at`,
        [id, version, document, source, checksum],
      );
      await manager.query('INSERT INTO campaign_versions (campaign_id, version, document, source, checksum) VALUES ($1, $2, $3, $4, $5)', [
        id,
        version,
        document,
        source,
        checksum,
      ]);
      return { change: current ? 'updated' : 'created', campaign: await this.readIn(manager, id) };
    });
  }

  async findAll(): Promise<StoredCampaign[]> {
    const rows: CampaignRow[] = await this.dataSource.query('SELECT id, version, document, source, updated_at FROM campaigns ORDER BY id');
    return rows.map(toStored);
  }

  async find(id: string): Promise<StoredCampaign | null> {
    const rows: CampaignRow[] = await this.dataSource.query(
      'SELECT id, version, document, source, updated_at FROM campaigns WHERE id = $1',
      [id],
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Earlier versions by (id, version), in one query: the steps of journeys users are still in. */
  async findVersions(
    refs: { id: string; version: number }[],
  ): Promise<{ id: string; version: number; document: Record<string, unknown> }[]> {
    if (refs.length === 0) return [];
    return this.dataSource.query(
      `SELECT v.campaign_id AS id, v.version, v.document FROM campaign_versions v
       JOIN unnest($1::text[], $2::int[]) AS wanted(id, version) ON v.campaign_id = wanted.id AND v.version = wanted.version`,
      [refs.map((r) => r.id), refs.map((r) => r.version)],
    );
  }

  /**
   * What changes whenever a campaign is saved (a version only grows) or removed: how many
   * there are and the sum of their versions, in one row (`fingerprintOf` of `versions()`).
   */
  async fingerprint(): Promise<string> {
    const [row]: { n: number; total: string }[] = await this.dataSource.query(
      'SELECT count(*)::int AS n, coalesce(sum(version), 0)::text AS total FROM campaigns',
    );
    return `${row?.n ?? 0}:${row?.total ?? '0'}`;
  }

  /** (id, version) of every campaign: cheap enough to poll for changes made elsewhere. */
  async versions(): Promise<Map<string, number>> {
    const rows: { id: string; version: number }[] = await this.dataSource.query('SELECT id, version FROM campaigns');
    return new Map(rows.map((r) => [r.id, r.version]));
  }

  private async readIn(manager: { query: DataSource['query'] }, id: string): Promise<StoredCampaign> {
    const rows: CampaignRow[] = await manager.query('SELECT id, version, document, source, updated_at FROM campaigns WHERE id = $1', [id]);
    return toStored(rows[0] as CampaignRow);
  }
}

interface CampaignRow {
  id: string;
  version: number;
  document: Record<string, unknown>;
  source: string;
  updated_at: Date;
}

function toStored(row: CampaignRow): StoredCampaign {
  return { id: row.id, version: row.version, document: row.document, source: row.source, updatedAt: row.updated_at.toISOString() };
}

/** `CampaignsStore.fingerprint` of a set of running versions. */
export function fingerprintOf(versions: Map<string, number>): string {
  let total = 0;
  for (const version of versions.values()) total += version;
  return `${versions.size}:${total}`;
}
