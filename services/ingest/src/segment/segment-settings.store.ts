import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { segmentSettingsSchema, type SegmentSettings } from '@nudge/settings';
import type { DataSource } from 'typeorm';
import { databaseFailure } from '../common/infrastructure-failures';

const NO_SEGMENT_SETTINGS: SegmentSettings = segmentSettingsSchema.parse({});

/**
 * The `segment` section of the settings rules keeps (the one `settings` row): read when an
 * identify carries consent categories, and kept until the row's version changes.
 */
@Injectable()
export class SegmentSettingsStore {
  private known: { version: number; segment: SegmentSettings } = { version: 0, segment: NO_SEGMENT_SETTINGS };

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async segmentSettings(): Promise<SegmentSettings> {
    const rows: { version: number; segment: unknown }[] = await this.dataSource
      .query(`SELECT version, document->'segment' AS segment FROM settings WHERE id = 1 AND version <> $1`, [this.known.version])
      .catch((error: unknown) => {
        throw databaseFailure(error);
      });
    const row = rows[0];
    if (row) {
      // Rules validated the document before saving it; a section it cannot read is treated as absent.
      const parsed = segmentSettingsSchema.safeParse(row.segment ?? {});
      this.known = { version: row.version, segment: parsed.success ? parsed.data : NO_SEGMENT_SETTINGS };
    }
    return this.known.segment;
  }
}
