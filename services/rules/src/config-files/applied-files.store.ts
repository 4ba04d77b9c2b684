import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@nudge/service-runtime';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Which content of each config file was last applied. */
@Injectable()
export class AppliedFilesStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** True when this exact content of the file was applied before (by any rules instance). */
  async alreadyApplied(path: string, content: string): Promise<boolean> {
    const rows: { checksum: string }[] = await this.dataSource.query('SELECT checksum FROM applied_config_files WHERE path = $1', [path]);
    return rows[0]?.checksum === checksumOfText(content);
  }

  async markApplied(path: string, content: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO applied_config_files (path, checksum) VALUES ($1, $2)
       ON CONFLICT (path) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
      [path, checksumOfText(content)],
    );
  }
}

function checksumOfText(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}
