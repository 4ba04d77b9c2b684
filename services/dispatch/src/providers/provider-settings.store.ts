import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE } from '@nudge/service-runtime';
import type { DataSource } from 'typeorm';

/** A version of the settings document (rules saves it; dispatch only reads it). */
export interface SettingsVersion {
  version: number;
  document: unknown;
}

/** Reads the one settings row (`settings`, id 1) that rules writes. */
@Injectable()
export class ProviderSettingsStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The settings when their version is not `knownVersion`; null when unchanged or never saved. */
  async findOtherThan(knownVersion: number): Promise<SettingsVersion | null> {
    const rows: SettingsVersion[] = await this.dataSource.query('SELECT version, document FROM settings WHERE id = 1 AND version <> $1', [
      knownVersion,
    ]);
    return rows[0] ?? null;
  }
}
