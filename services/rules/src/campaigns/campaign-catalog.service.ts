import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CampaignIndex, compileCampaign, validateCampaign, type CampaignDocument, type CompiledCampaign } from '@nudge/campaigns';
import { ValidationError } from '@nudge/contracts';
import type { EntityManager } from 'typeorm';
import { RULES_CONFIG, type RulesConfig } from '../config';
import { CampaignsStore, fingerprintOf, type SaveResult } from './campaigns.store';

/** Campaigns kept outside the catalog (broadcasts), found by id in the caller's transaction. */
export interface CampaignSource {
  resolve(manager: EntityManager, ids: Iterable<string>): Promise<Map<string, CompiledCampaign>>;
}

/**
 * The campaigns rules decides with: compiled once per version and indexed by trigger
 * event name. Saves go through here; versions saved by another rules instance are
 * picked up by polling.
 */
@Injectable()
export class CampaignCatalog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('campaigns');
  readonly index = new CampaignIndex();
  private refreshTimer: NodeJS.Timeout | undefined;
  /** Earlier versions journeys are still running on, compiled once each (bounded). */
  private readonly earlier = new Map<string, CompiledCampaign>();
  /** Campaigns kept elsewhere, registered by their owner (broadcasts): the timers fire their deferred sends. */
  private readonly sources: CampaignSource[] = [];
  /** The stored campaigns' fingerprint as of the last refresh (see `ensureCurrent`). */
  private loaded: string | null = null;

  constructor(
    private readonly store: CampaignsStore,
    @Inject(RULES_CONFIG) private readonly config: RulesConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.refreshTimer = setInterval(() => {
      this.refresh().catch((error: Error) => this.logger.warn(`campaign refresh failed: ${error.message}`));
    }, this.config.CAMPAIGN_REFRESH_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.refreshTimer);
  }

  /** Validates, saves and activates a campaign document; throws ValidationError naming each field. */
  async save(document: unknown, source: string, expectedId?: string): Promise<SaveResult> {
    const campaign = this.validate(document, expectedId);
    const result = await this.store.save(campaign.id, campaign as unknown as Record<string, unknown>, source);
    if (result.change !== 'unchanged') {
      this.activate(result.campaign.document as CampaignDocument, result.campaign.version);
      this.logger.log(`campaign ${campaign.id} ${result.change} (v${result.campaign.version}, ${source})`);
    }
    return result;
  }

  /** Checks a document without saving it. */
  validate(document: unknown, expectedId?: string): CampaignDocument {
    const result = validateCampaign(document);
    if (!result.ok)
      throw new ValidationError(`invalid campaign: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, result.errors);
    if (expectedId !== undefined && result.campaign.id !== expectedId) {
      throw new ValidationError('invalid campaign: id does not match the URL', [
        { path: 'id', message: `must be "${expectedId}" as in the URL` },
      ]);
    }
    return result.campaign;
  }

  get(id: string): CompiledCampaign | undefined {
    return this.index.get(id);
  }

  /** Registers where campaigns outside the catalog are found (a feature above this one registers itself at start). */
  addSource(source: CampaignSource): void {
    this.sources.push(source);
  }

  /**
   * The campaigns of these ids as they are now: the catalog's, then those of the registered
   * sources (a broadcast's deferred sends come back through the timers); ids of none are left out.
   */
  async resolve(manager: EntityManager, ids: Iterable<string>): Promise<Map<string, CompiledCampaign>> {
    const wanted = [...new Set(ids)];
    const campaigns = new Map<string, CompiledCampaign>();
    for (const id of wanted) {
      const campaign = this.index.get(id);
      if (campaign) campaigns.set(id, campaign);
    }
    for (const source of this.sources) {
      const others = wanted.filter((id) => !campaigns.has(id));
      if (others.length === 0) break;
      for (const [id, campaign] of await source.resolve(manager, others)) campaigns.set(id, campaign);
    }
    return campaigns;
  }

  /**
   * The given versions, compiled: the running one from the index, earlier ones from
   * campaign_versions (one query for all that are not cached). Keyed by versionKey.
   */
  async versions(refs: { id: string; version: number }[]): Promise<Map<string, CompiledCampaign>> {
    const found = new Map<string, CompiledCampaign>();
    const missing: { id: string; version: number }[] = [];
    for (const ref of refs) {
      const key = versionKey(ref.id, ref.version);
      const compiled = this.index.get(ref.id)?.version === ref.version ? this.index.get(ref.id) : this.earlier.get(key);
      if (compiled) found.set(key, compiled);
      else if (!missing.some((m) => versionKey(m.id, m.version) === key)) missing.push(ref);
    }
    for (const row of await this.store.findVersions(missing)) {
      const compiled = compileCampaign(row.document as CampaignDocument, row.version);
      if (this.earlier.size >= EARLIER_VERSIONS_KEPT) this.earlier.delete(this.earlier.keys().next().value as string);
      this.earlier.set(versionKey(row.id, row.version), compiled);
      found.set(versionKey(row.id, row.version), compiled);
    }
    return found;
  }

  /** Loads every version saved since the last look (all of them at start). */
  async refresh(): Promise<void> {
    const versions = await this.store.versions();
    for (const [id, version] of versions) {
      if (this.index.get(id)?.version === version) continue;
      const stored = await this.store.find(id);
      if (stored) this.activate(stored.document as CampaignDocument, stored.version);
    }
    this.loaded = fingerprintOf(versions);
  }

  /**
   * Brings the catalog up to date with every campaign committed before the call, at the cost
   * of one one-row query when nothing changed. The events consumer calls it for each fetched
   * batch: an event produced after another rules instance saved a campaign is then judged
   * against that campaign, never skipped because this instance's poll (CAMPAIGN_REFRESH_MS)
   * has not come round yet.
   */
  async ensureCurrent(): Promise<void> {
    if ((await this.store.fingerprint()) !== this.loaded) await this.refresh();
  }

  private activate(document: CampaignDocument, version: number): void {
    const current = this.index.get(document.id);
    if (current && current.version >= version) return;
    this.index.put(compileCampaign(document, version));
  }
}

const EARLIER_VERSIONS_KEPT = 500;

/** How versions() keys what it returns. */
export function versionKey(id: string, version: number): string {
  return `${id}@${version}`;
}
