import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';

/** One saved version of a campaign, as the history lists it: what it was, not the whole document. */
export interface CampaignVersionSummary {
  version: number;
  createdAt: string;
  /** Where it came from: `api`, `file:<path>`, `api:rollback:v<n>`, `api:pause`, `api:activate`. */
  source: string;
  checksum: string;
  /** The document's `status` and trigger event (what a history view shows per row). */
  status: string;
  trigger: string | null;
  name: string;
  /** A journey (`steps`) rather than one message. */
  journey: boolean;
}

/** One saved version with its document. */
export interface CampaignVersion extends Omit<CampaignVersionSummary, 'status' | 'trigger' | 'name' | 'journey'> {
  id: string;
  document: Record<string, unknown>;
}

/** A page of a campaign's history, newest first, and the cursor of the next (older) page. */
export interface CampaignVersionPage {
  items: CampaignVersionSummary[];
  nextCursor: string | null;
}

/**
 * Reads `campaign_versions`, the append-only history every save writes (`CampaignsStore.save`):
 * nothing here writes, a rollback or a pause is a save like any other.
 */
@Injectable()
export class CampaignVersionsStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** At most `limit` versions older than `before` (a version number), newest first. */
  async page(id: string, page: { limit: number; before?: number }): Promise<CampaignVersionPage> {
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT version, created_at, source, checksum, document->>'status' AS status, document->'trigger'->>'event' AS trigger,
              document->>'name' AS name, document ? 'steps' AS journey
       FROM campaign_versions WHERE campaign_id = $1 AND ($2::int IS NULL OR version < $2::int)
       ORDER BY version DESC LIMIT $3`,
      [id, page.before ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit).map((r) => ({
      version: r.version,
      createdAt: r.created_at.toISOString(),
      source: r.source,
      checksum: r.checksum,
      status: r.status ?? 'active',
      trigger: r.trigger,
      name: r.name ?? '',
      journey: r.journey,
    }));
    return { items, nextCursor: rows.length > page.limit ? String(items.at(-1)?.version ?? '') : null };
  }

  async find(id: string, version: number): Promise<CampaignVersion | null> {
    const rows: VersionRow[] = await this.dataSource.query(
      'SELECT campaign_id, version, document, source, checksum, created_at FROM campaign_versions WHERE campaign_id = $1 AND version = $2',
      [id, version],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.campaign_id,
      version: row.version,
      document: row.document,
      source: row.source,
      checksum: row.checksum,
      createdAt: row.created_at.toISOString(),
    };
  }

  /** The running version's number and checksum, or null for a campaign that does not exist. */
  async current(id: string): Promise<{ version: number; checksum: string } | null> {
    const rows: { version: number; checksum: string }[] = await this.dataSource.query(
      'SELECT version, checksum FROM campaigns WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }
}

interface SummaryRow {
  version: number;
  created_at: Date;
  source: string;
  checksum: string;
  status: string | null;
  trigger: string | null;
  name: string | null;
  journey: boolean;
}

interface VersionRow {
  campaign_id: string;
  version: number;
  document: Record<string, unknown>;
  source: string;
  checksum: string;
  created_at: Date;
}
